//===- Commands.h - what nnc's subcommands do -------------------*- C++ -*-===//
//
// `nnc train`, `nnc eval`, `nnc summary` and `nnc --emit` as library calls;
// the tool only turns flags into these structs.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_DRIVER_COMMANDS_H
#define NNC_DRIVER_COMMANDS_H

#include "compiler/Driver/Compiler.h"
#include "compiler/Driver/Diagnostics.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>

namespace nnc {

/// Loads `path` ("-" for stdin) as the main buffer of `sm`; reports a
/// missing file on stderr.
mlir::LogicalResult loadInput(llvm::StringRef path, llvm::SourceMgr &sm);

/// How a command gets its compiled code.
struct CompileFlags {
  /// Use the compile cache (compiler/Backend/Cache.h); --no-cache turns it off.
  bool cache = true;
  /// Print each stage's time as it ends (--verbose).
  bool verbose = false;
  /// Write each compiled part's LLVM dialect module to this directory
  /// (--save-temps); none when empty.
  std::string saveTemps;
};

struct TrainCommand {
  CompileFlags compile;
  std::string dataDir, save, resume, report;
  std::optional<int64_t> epochs;
  std::optional<uint64_t> seed;
  std::optional<int64_t> limitTrain, limitTest; // default: all
  bool quiet = false;
  /// Training threads (default: every CPU the process may use), lowered
  /// to the largest count that divides the batch.
  std::optional<unsigned> threads;
};
mlir::LogicalResult runTrain(const TrainCommand &cmd, llvm::SourceMgr &sm,
                             mlir::MLIRContext &ctx);

struct EvalCommand {
  CompileFlags compile;
  /// predictions: a text file with each test sample's predicted class and
  /// outputs (exact decimal floats), one sample per line.
  std::string dataDir, load, report, predictions;
  std::optional<int64_t> limitTest; // default: all
};
mlir::LogicalResult runEval(const EvalCommand &cmd, llvm::SourceMgr &sm,
                            mlir::MLIRContext &ctx);

/// `nnc bench`: the latency of the compiled @predict at a batch size.
struct BenchCommand {
  CompileFlags compile;
  int64_t batch = 1;
  int64_t calls = 2000;
  std::string load; // a checkpoint, or seeded initial weights
};
mlir::LogicalResult runBench(const BenchCommand &cmd, llvm::SourceMgr &sm,
                             mlir::MLIRContext &ctx);

/// `nnc compile`: an object file with a C interface, and its header.
struct CompileCommand {
  std::string output, header, weights, triple, cpu;
  bool train = false;
  int64_t batch = 0; // 0: the train block's batch, else 1
};
mlir::LogicalResult runCompile(const CompileCommand &cmd, llvm::SourceMgr &sm,
                               mlir::MLIRContext &ctx);

mlir::LogicalResult runSummary(llvm::SourceMgr &sm, mlir::MLIRContext &ctx,
                               llvm::raw_ostream &os);

} // namespace nnc

#endif
