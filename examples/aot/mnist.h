/* mnist.h: what the examples share: reading MNIST's IDX files, printing
   predictions, allocating workspaces. Plain C, libc only. */
#ifndef NNC_EXAMPLES_MNIST_H
#define NNC_EXAMPLES_MNIST_H

#include <stdio.h>
#include <stdlib.h>

/* A big-endian 32-bit integer, as IDX headers store them. */
static long mnist_int(FILE *f) {
  unsigned char b[4];
  if (fread(b, 1, 4, f) != 4)
    return -1;
  return (long)b[0] << 24 | (long)b[1] << 16 | (long)b[2] << 8 | (long)b[3];
}

/* Reads an IDX file: images (magic 2051) or labels (2049). Returns the raw
   bytes (count * rows * cols, or count) and sets count, rows and cols; on
   an error prints it and exits. */
static unsigned char *mnist_read(const char *path, long *count, long *rows,
                                 long *cols) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  long magic = mnist_int(f);
  *count = mnist_int(f);
  *rows = *cols = 1;
  if (magic == 2051) {
    *rows = mnist_int(f);
    *cols = mnist_int(f);
  } else if (magic != 2049) {
    fprintf(stderr, "%s: not an MNIST IDX file (magic %ld)\n", path, magic);
    exit(1);
  }
  size_t bytes = (size_t)(*count * *rows * *cols);
  unsigned char *data = malloc(bytes);
  if (!data || fread(data, 1, bytes, f) != bytes) {
    fprintf(stderr, "%s: truncated\n", path);
    exit(1);
  }
  fclose(f);
  return data;
}

/* Prints each of `rows` rows of `classes` outputs as a line, in the format
   of `nnc eval --predictions`: the predicted class (the largest output;
   the first on a tie), then the outputs to 9 significant digits, which
   identify a float exactly. Returns how many predictions match `labels`. */
static long print_predictions(const float *output, long rows, int classes,
                              const unsigned char *labels) {
  long correct = 0;
  for (long i = 0; i < rows; ++i) {
    const float *row = output + i * classes;
    int best = 0;
    for (int k = 1; k < classes; ++k)
      if (row[k] > row[best])
        best = k;
    correct += best == labels[i];
    printf("%d", best);
    for (int k = 0; k < classes; ++k)
      printf(" %.9g", row[k]);
    printf("\n");
  }
  return correct;
}

/* Scratch memory for a compiled function: 64-byte aligned, NULL for 0 bytes. */
static void *workspace(size_t bytes) {
  if (bytes == 0)
    return NULL;
  void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

#endif
