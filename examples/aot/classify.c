/* classify.c: LeNet-5, compiled ahead of time with its trained weights in
 * the object file, classifies the MNIST test set. Nothing of nnc is needed
 * at run time:
 *
 *   nnc train examples/lenet5.nn --save lenet5.ckpt
 *   nnc compile examples/lenet5.nn --weights lenet5.ckpt -o lenet5.o --header
 * lenet5.h cc -O2 -I. examples/aot/classify.c lenet5.o -lm -o classify
 *   ./classify t10k-images-idx3-ubyte t10k-labels-idx1-ubyte > predictions.txt
 *
 * Prints one line per image, the predicted class and the ten outputs, in
 * the format of `nnc eval --predictions`; the accuracy and the time per
 * image go to stderr.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "lenet5.h"
#include "mnist.h"

#include <math.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS (MNIST IDX files)\n", argv[0]);
    return 2;
  }
  long count, rows, cols, n, r, c;
  unsigned char *images = mnist_read(argv[1], &count, &rows, &cols);
  unsigned char *labels = mnist_read(argv[2], &n, &r, &c);
  if (n != count) {
    fprintf(stderr, "%ld images but %ld labels\n", count, n);
    return 1;
  }
  /* The model takes square images, MNIST's 28x28 centred on a blank field
     (32x32 for LeNet-5: pad=2 in its train block). */
  long side = (long)sqrt((double)(LENET5_INPUT_FLOATS / LENET5_BATCH));
  long pad = (side - rows) / 2;
  float *input = malloc(sizeof(float) * LENET5_INPUT_FLOATS);
  float *output = malloc(sizeof(float) * LENET5_OUTPUT_FLOATS);
  void *ws = workspace(LENET5_PREDICT_WORKSPACE_BYTES);

  long correct = 0;
  double seconds = 0;
  for (long start = 0; start < count; start += LENET5_BATCH) {
    /* A short last batch is padded with blank images, their outputs unused. */
    long batch = count - start < LENET5_BATCH ? count - start : LENET5_BATCH;
    memset(input, 0, sizeof(float) * LENET5_INPUT_FLOATS);
    for (long i = 0; i < batch; ++i)
      for (long y = 0; y < rows; ++y)
        for (long x = 0; x < cols; ++x)
          input[(i * side + y + pad) * side + x + pad] =
              images[((start + i) * rows + y) * cols + x] / 255.0f;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lenet5_predict(input, output, ws);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds += (double)(t1.tv_sec - t0.tv_sec) +
               1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    correct += print_predictions(output, batch, LENET5_CLASSES, labels + start);
  }
  fprintf(stderr,
          "accuracy %.2f%% (%ld images), %.1f us per image in batches of %d\n",
          100.0 * (double)correct / (double)count, count,
          1e6 * seconds / (double)count, LENET5_BATCH);
  free(input);
  free(output);
  free(ws);
  free(images);
  free(labels);
  return 0;
}
