//===- Cache.cpp - compiled code kept on disk between runs ----------------===//

#include "compiler/Backend/Cache.h"

#include "compiler/Backend/Codegen.h"
#include "compiler/Backend/Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <vector>

using namespace nnc;
namespace fs = llvm::sys::fs;

static std::string defaultDirectory() {
  if (std::optional<std::string> d =
          llvm::sys::Process::GetEnv("NNC_CACHE_DIR"))
    return *d;
  llvm::SmallString<256> path;
  if (std::optional<std::string> x =
          llvm::sys::Process::GetEnv("XDG_CACHE_HOME"))
    path = *x;
  else if (std::optional<std::string> home = llvm::sys::Process::GetEnv("HOME"))
    llvm::sys::path::append(path, *home, ".cache");
  else
    return "";
  llvm::sys::path::append(path, "nnc", "jit");
  return std::string(path);
}

CompileCache::CompileCache(std::string dir, uint64_t limitBytes)
    : dir(dir.empty() ? defaultDirectory() : std::move(dir)),
      limitBytes(limitBytes) {}

/// Which compiler made the code: its version, and the executable's size and
/// modification time, so that a rebuilt nnc does not reuse older code.
static std::string compilerIdentity() {
  std::string identity = "nnc " NNC_VERSION " llvm " LLVM_VERSION_STRING;
  std::string exe = fs::getMainExecutable(nullptr, nullptr);
  fs::file_status status;
  if (!exe.empty() && !fs::status(exe, status))
    identity +=
        " " + exe + " " + std::to_string(status.getSize()) + " " +
        std::to_string(
            status.getLastModificationTime().time_since_epoch().count());
  return identity;
}

std::string CompileCache::key(llvm::StringRef inputs) {
  static const std::string fixed =
      compilerIdentity() + "\n" + hostDescription() + "\n";
  llvm::SHA256 hash;
  hash.update(fixed);
  hash.update(inputs);
  std::array<uint8_t, 32> digest = hash.final();
  return llvm::toHex(digest, /*LowerCase=*/true);
}

static std::string entryPath(llvm::StringRef dir, llvm::StringRef key,
                             llvm::StringRef ext) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, key + ext);
  return std::string(path);
}

std::optional<CacheEntry> CompileCache::lookup(llvm::StringRef key) const {
  if (dir.empty())
    return std::nullopt;
  // The facts file is written last: it marks a complete entry, and says
  // how many objects it has.
  auto facts = llvm::MemoryBuffer::getFile(entryPath(dir, key, ".facts"),
                                           /*IsText=*/true);
  if (!facts)
    return std::nullopt;
  CacheEntry entry;
  llvm::SmallVector<llvm::StringRef> lines;
  (*facts)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    auto [name, value] = line.split(' ');
    entry.facts[name.str()] = value.str();
  }
  unsigned count = 0;
  if (llvm::StringRef(entry.facts["objects"]).getAsInteger(10, count) ||
      count == 0)
    return std::nullopt;
  std::vector<std::string> files{entryPath(dir, key, ".facts")};
  for (unsigned i = 0; i < count; ++i) {
    files.push_back(entryPath(dir, key, "." + std::to_string(i) + ".o"));
    auto object = llvm::MemoryBuffer::getFile(files.back());
    if (!object)
      return std::nullopt; // pruned
    entry.objects.emplace_back((*object)->getBufferStart(),
                               (*object)->getBufferEnd());
  }
  // Recently used: pruning goes by modification time.
  for (const std::string &file : files) {
    int fd;
    if (!fs::openFileForWrite(file, fd, fs::CD_OpenExisting, fs::OF_Append)) {
      (void)fs::setLastAccessAndModificationTime(
          fd, std::chrono::system_clock::now());
      llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    }
  }
  return entry;
}

/// Writes `data` to `path` through a temporary file and a rename.
static bool writeWhole(const std::string &path, llvm::StringRef data) {
  llvm::SmallString<256> temp;
  int fd;
  if (fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp))
    return false;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << data;
    os.close();
    if (os.has_error()) {
      os.clear_error();
      fs::remove(temp);
      return false;
    }
  }
  if (fs::rename(temp, path)) {
    fs::remove(temp);
    return false;
  }
  return true;
}

void CompileCache::store(llvm::StringRef key, const CacheEntry &entry) const {
  if (dir.empty() || fs::create_directories(dir))
    return;
  std::string facts = "objects " + std::to_string(entry.objects.size()) + "\n";
  for (const auto &[name, value] : entry.facts)
    facts += name + " " + value + "\n";
  for (size_t i = 0; i < entry.objects.size(); ++i) {
    const llvm::SmallVector<char, 0> &object = entry.objects[i];
    if (!writeWhole(entryPath(dir, key, "." + std::to_string(i) + ".o"),
                    llvm::StringRef(object.data(), object.size())))
      return;
  }
  if (writeWhole(entryPath(dir, key, ".facts"), facts))
    prune();
}

void CompileCache::prune() const {
  struct File {
    std::string path;
    uint64_t bytes;
    llvm::sys::TimePoint<> time;
  };
  std::vector<File> files;
  uint64_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    fs::file_status s;
    if (fs::status(it->path(), s) || !fs::is_regular_file(s))
      continue;
    files.push_back({it->path(), s.getSize(), s.getLastModificationTime()});
    total += s.getSize();
  }
  std::sort(files.begin(), files.end(),
            [](const File &a, const File &b) { return a.time < b.time; });
  for (const File &f : files) {
    if (total <= limitBytes)
      break;
    fs::remove(f.path);
    total -= f.bytes;
  }
}
