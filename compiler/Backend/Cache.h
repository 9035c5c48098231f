//===- Cache.h - compiled code kept on disk between runs --------*- C++ -*-===//
//
// A second `nnc train` of an unchanged model loads its object file instead
// of compiling it. An entry is keyed by everything that decides the code:
// the model as the nn dialect prints it, the pipeline's options, the
// compiler (version, and the nnc executable's size and time, so a rebuilt
// compiler never reuses an older one's code) and the host CPU with its
// features. Entries are files in one directory, written whole through a
// rename, so concurrent runs are safe; the least recently used go when the
// directory passes its size limit.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_BACKEND_CACHE_H
#define NNC_BACKEND_CACHE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

/// A cached compilation: the object files (one per part compiled on its
/// own thread) and the figures the lowering reported (workspace sizes, the
/// time the compilation took).
struct CacheEntry {
  std::vector<llvm::SmallVector<char, 0>> objects;
  std::map<std::string, std::string> facts;
};

class CompileCache {
public:
  /// The cache in `dir`; an empty `dir` means $NNC_CACHE_DIR, else
  /// $XDG_CACHE_HOME/nnc/jit, else ~/.cache/nnc/jit.
  explicit CompileCache(std::string dir = "", uint64_t limitBytes = 512u << 20);

  /// A key for these inputs (hex SHA-256), the compiler and the host added.
  static std::string key(llvm::StringRef inputs);

  std::optional<CacheEntry> lookup(llvm::StringRef key) const;
  /// Stores an entry; failures (a read-only home, a full disk) are silent:
  /// the cache only saves time.
  void store(llvm::StringRef key, const CacheEntry &entry) const;

  const std::string &directory() const { return dir; }

private:
  void prune() const;

  std::string dir;
  uint64_t limitBytes;
};

} // namespace nnc

#endif
