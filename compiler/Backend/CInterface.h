//===- CInterface.h - the C ABI of an ahead-of-time compiled model -*- C++
//-*-===//
//
// `nnc compile` turns a model into an object file whose functions any C
// program can call, and a header that documents them. The compiled
// functions take MLIR memref descriptors; this file adds, per function, a
// C entry point `<model>_<function>` that takes plain pointers and builds
// the descriptors, and hides everything else in the object. Parameters and
// optimizer state travel as one flat float array each (the header gives
// every tensor's offset), scalars (learning rate, step) by value, and the
// scratch memory the function needs as a caller-provided workspace, so the
// code allocates nothing and two threads may call it with two workspaces.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_BACKEND_CINTERFACE_H
#define NNC_BACKEND_CINTERFACE_H

#include "dialects/nn/IR/NNDialect.h"
#include "nnrt/Manifest.h"

#include "llvm/IR/Module.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

/// A compiled function as the lowering left it: its manifest's arguments
/// and results (out-parameters), then, when `workspaceBytes` > 0, a
/// workspace.
struct FunctionSignature {
  std::string name; // predict, train_step
  std::vector<nnrt::ArgSpec> args;
  int64_t workspaceBytes = 0;
};

/// One parameter of a C entry point.
struct CParam {
  enum class Kind { Floats, Scalar, Workspace };
  Kind kind = Kind::Floats;
  std::string name;         // params, state, input, target, lr, ...
  bool output = false;      // written by the function
  std::vector<size_t> args; // the arguments it carries, in order
  int64_t floats = 0;       // for Floats: the array's length
};

struct CInterface {
  std::string prefix; // the model's name: symbols are <prefix>_<function>
  std::vector<FunctionSignature> functions;
  /// Trained parameters in the order of the `params` array. Without
  /// `trainable` they are compiled in and the functions take no params;
  /// with it they are exported as `<prefix>_initial_params`.
  std::optional<std::vector<float>> weights;
  bool trainable = false;
  /// How the entry points flush denormals while they run (the target's).
  mlir::nn::DenormalFlush denormals = mlir::nn::DenormalFlush::None;
};

/// The C parameters of `fn` under `iface`'s rules.
std::vector<CParam> cParameters(const FunctionSignature &fn,
                                const CInterface &iface);

/// Adds the C entry points to `module` (which holds the compiled functions'
/// `_mlir_ciface_*` interfaces) and gives every other symbol internal
/// linkage. The entry points flush denormals to zero while they run as
/// iface.denormals says, as nnc's runtime does around compiled code.
void addCInterface(llvm::Module &module, const CInterface &iface);

/// Facts the header states besides the interface.
struct HeaderFacts {
  std::string header;                  // the header's file name
  std::string version;                 // nnc's
  std::string source;                  // the model file
  std::string target;                  // triple and CPU
  std::string inputLayout;             // e.g. "batch, height, width, channels"
  std::vector<std::string> stateSlots; // velocity, m, v, ...
  int64_t classes = 0; // outputs of a classifier, 0 for regression
  bool outputIsDistance = false;
};

/// The C header documenting `iface`.
std::string cHeader(const CInterface &iface, const HeaderFacts &facts);

} // namespace nnc

#endif
