//===- StandaloneMain.cpp - run a fuzz target over files ------------------===//
//
// Without libFuzzer (the default build), each fuzz target is this program:
// it runs the target once on every file named or inside a named directory
// (the corpus) and says how many, so that the suite checks every input a
// fuzzer ever found. Built with NNC_FUZZ, libFuzzer's main takes its place.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int runFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                         bytes.size());
  return 1;
}

static int runPath(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "cannot read '%s'\n", path.c_str());
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return runFile(path);
  DIR *dir = opendir(path.c_str());
  int n = 0;
  while (dirent *e = readdir(dir))
    if (e->d_name[0] != '.')
      n += runFile(path + "/" + e->d_name);
  closedir(dir);
  return n;
}

int main(int argc, char **argv) {
  int n = 0;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-')
      continue; // libFuzzer's flags (-runs=0), for the same command lines
    int ran = runPath(argv[i]);
    if (ran < 0)
      return 1;
    n += ran;
  }
  std::printf("ran %d inputs\n", n);
  return 0;
}
