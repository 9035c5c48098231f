/* train.c: trains mlp-tiny (784-16-10) with its own loop around the
 * train_step that `nnc compile --train` exports, then classifies the test
 * set with the trained parameters:
 *
 *   nnc train examples/mlp-tiny.nn --epochs 0 --save init.ckpt   # seeded start
 *   nnc compile examples/mlp-tiny.nn --train --weights init.ckpt \
 *       -o mlp_tiny.o --header mlp_tiny.h
 *   cc -O2 -I. examples/aot/train.c mlp_tiny.o -lm -o train
 *   ./train train-images-idx3-ubyte train-labels-idx1-ubyte \
 *       t10k-images-idx3-ubyte t10k-labels-idx1-ubyte 3 params.f32 >
 * predictions.txt
 *
 * The loop is the caller's: the order of the samples (here: as stored),
 * the learning rate schedule (here: cosine from the model's 0.1) and when
 * to stop. The trained parameters are written raw to PARAMS (the layout
 * of mlp_tiny.h), which `nnc eval --load` reads, so nnc can check them.
 * Prints the test predictions like `nnc eval --predictions`; the loss of
 * each epoch and the accuracy go to stderr.
 */
#include "mlp_tiny.h"
#include "mnist.h"

#include <math.h>
#include <string.h>

/* Fills one batch: pixels scaled to [0, 1], one-hot targets. */
static void fill(const unsigned char *images, const unsigned char *labels,
                 long first, long count, long pixels, float *input,
                 float *target) {
  memset(input, 0, sizeof(float) * MLP_TINY_INPUT_FLOATS);
  memset(target, 0, sizeof(float) * MLP_TINY_TARGET_FLOATS);
  for (long i = 0; i < MLP_TINY_BATCH && first + i < count; ++i) {
    for (long p = 0; p < pixels; ++p)
      input[i * pixels + p] = images[(first + i) * pixels + p] / 255.0f;
    target[i * MLP_TINY_CLASSES + labels[first + i]] = 1.0f;
  }
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr,
            "usage: %s TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS "
            "EPOCHS PARAMS\n",
            argv[0]);
    return 2;
  }
  long count, rows, cols, tests, n, r, c;
  unsigned char *images = mnist_read(argv[1], &count, &rows, &cols);
  unsigned char *labels = mnist_read(argv[2], &n, &r, &c);
  unsigned char *testImages = mnist_read(argv[3], &tests, &rows, &cols);
  unsigned char *testLabels = mnist_read(argv[4], &n, &r, &c);
  long epochs = atol(argv[5]);
  long pixels = rows * cols;

  float *params = malloc(sizeof(float) * MLP_TINY_PARAM_FLOATS);
  float *newParams = malloc(sizeof(float) * MLP_TINY_PARAM_FLOATS);
  float *state = calloc(MLP_TINY_STATE_FLOATS, sizeof(float));
  float *newState = malloc(sizeof(float) * MLP_TINY_STATE_FLOATS);
  float *input = malloc(sizeof(float) * MLP_TINY_INPUT_FLOATS);
  float *target = malloc(sizeof(float) * MLP_TINY_TARGET_FLOATS);
  float *output = malloc(sizeof(float) * MLP_TINY_OUTPUT_FLOATS);
  void *trainWs = workspace(MLP_TINY_TRAIN_STEP_WORKSPACE_BYTES);
  void *predictWs = workspace(MLP_TINY_PREDICT_WORKSPACE_BYTES);
  memcpy(params, mlp_tiny_initial_params,
         sizeof(float) * MLP_TINY_PARAM_FLOATS);

  long batches = count / MLP_TINY_BATCH; /* a last partial batch is left out */
  long step = 0, total = epochs * batches;
  for (long e = 0; e < epochs; ++e) {
    double lossSum = 0;
    for (long b = 0; b < batches; ++b) {
      fill(images, labels, b * MLP_TINY_BATCH, count, pixels, input, target);
      float lr = (float)(0.1 * 0.5 *
                         (1.0 + cos(3.14159265358979323846 * (double)step /
                                    (double)total)));
      float loss;
      ++step;
      mlp_tiny_train_step(params, state, input, target, lr, (float)step,
                          newParams, newState, &loss, output, trainWs);
      float *t = params;
      params = newParams;
      newParams = t;
      t = state;
      state = newState;
      newState = t;
      lossSum += loss;
    }
    fprintf(stderr, "epoch %ld/%ld: loss %.4f\n", e + 1, epochs,
            lossSum / (double)batches);
  }

  FILE *f = fopen(argv[6], "wb");
  if (!f ||
      fwrite(params, sizeof(float), MLP_TINY_PARAM_FLOATS, f) !=
          MLP_TINY_PARAM_FLOATS ||
      fclose(f) != 0) {
    perror(argv[6]);
    return 1;
  }

  long correct = 0;
  for (long start = 0; start < tests; start += MLP_TINY_BATCH) {
    fill(testImages, testLabels, start, tests, pixels, input, target);
    mlp_tiny_predict(params, input, output, predictWs);
    long batch =
        tests - start < MLP_TINY_BATCH ? tests - start : MLP_TINY_BATCH;
    correct +=
        print_predictions(output, batch, MLP_TINY_CLASSES, testLabels + start);
  }
  fprintf(stderr, "test accuracy %.2f%% (%ld images)\n",
          100.0 * (double)correct / (double)tests, tests);
  return 0;
}
