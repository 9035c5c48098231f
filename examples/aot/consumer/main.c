/* main.c: classifies MNIST test images with mlp-tiny, compiled into this
 * program by nnc_add_model (CMakeLists.txt) with trained weights. Prints
 * one line per image in the format of `nnc eval --predictions`.
 */
#include "mnist.h"
#include "model.h"

#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS (MNIST IDX files)\n", argv[0]);
    return 2;
  }
  long count, rows, cols, n, r, c;
  unsigned char *images = mnist_read(argv[1], &count, &rows, &cols);
  unsigned char *labels = mnist_read(argv[2], &n, &r, &c);
  float input[MLP_TINY_INPUT_FLOATS], output[MLP_TINY_OUTPUT_FLOATS];
  void *ws = workspace(MLP_TINY_PREDICT_WORKSPACE_BYTES);
  long correct = 0, pixels = rows * cols;
  for (long start = 0; start < count; start += MLP_TINY_BATCH) {
    memset(input, 0, sizeof input);
    for (long i = 0; i < MLP_TINY_BATCH && start + i < count; ++i)
      for (long p = 0; p < pixels; ++p)
        input[i * pixels + p] = images[(start + i) * pixels + p] / 255.0f;
    mlp_tiny_predict(input, output, ws);
    long batch =
        count - start < MLP_TINY_BATCH ? count - start : MLP_TINY_BATCH;
    correct +=
        print_predictions(output, batch, MLP_TINY_CLASSES, labels + start);
  }
  fprintf(stderr, "accuracy %.2f%% (%ld images)\n",
          100.0 * (double)correct / (double)count, count);
  return 0;
}
