//===- Sema.h - the semantic analyzer's state -------------------*- C++ -*-===//
//
// Private to compiler/Frontend: the class that SemaModel.cpp (names, layers,
// shapes) and SemaTrain.cpp (the train block) implement together, and the
// layer table it checks calls against.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_SEMA_H
#define NNC_FRONTEND_SEMA_H

#include "compiler/Frontend/Model.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace nnc::sema {

using mlir::FailureOr;

//===----------------------------------------------------------------------===//
// The layer table: what each layer call accepts.
//===----------------------------------------------------------------------===//

enum class OptType {
  PositiveInt,
  NonNegativeInt,
  Number,
  Init,
  Table,
  Prototypes,
  Bool
};

struct OptionSpec {
  const char *name;
  OptType type;
  bool required;
};

struct LayerSpec {
  const char *name;
  LayerKind kind;
  unsigned tensorInputs;
  std::vector<OptionSpec> options; // positional options follow the inputs
  double alpha = 0;                // default of a Number option
};

const std::vector<LayerSpec> &layerTable();

/// "did you mean 'x'?" for the closest of `candidates`, if close enough.
template <typename Range>
std::optional<std::string> closest(llvm::StringRef word,
                                   const Range &candidates) {
  std::optional<std::string> best;
  unsigned bestDist = 3;
  for (llvm::StringRef c : candidates) {
    // Lengths apart by the best distance or more cannot beat it; the bounded
    // edit distance stops early. (0 would mean unbounded to LLVM.)
    size_t a = word.size(), b = c.size();
    if ((a > b ? a - b : b - a) >= bestDist || bestDist == 1)
      continue;
    unsigned d =
        word.edit_distance(c, /*AllowReplacements=*/true, bestDist - 1);
    if (d < bestDist) {
      bestDist = d;
      best = c.str();
    }
  }
  return best;
}

std::string num(double v);

template <typename Range> std::string joinNames(const Range &names) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(names, os, [&](llvm::StringRef n) { os << n; }, ", ");
  return s;
}

class Sema {
public:
  Sema(const Locator &locate) : locate(locate) {}

  FailureOr<Program> run(const ModuleAST &module);

private:
  mlir::InFlightDiagnostic error(llvm::SMLoc loc, const llvm::Twine &msg);

  //===--- the model ------------------------------------------------------===//

  enum class State { Unvisited, Visiting, Done, Failed };

  struct Def {
    const Assign *assign = nullptr; // null for the input
    llvm::SMLoc loc;
    State state = State::Unvisited;
    int layer = -1;
    bool used = false;
  };

  void analyzeModel(const ModelDecl &model);

  /// Registers a name; reports a redefinition and returns false.
  bool declare(const std::string &name, llvm::SMLoc loc);

  int addLayer(Layer l);

  /// The layer of a named value (resolving it first if need be); -1 on error.
  int resolve(const std::string &name);

  /// Resolves `root` and, first, every value it depends on.
  void resolveAll(const std::string &root);

  /// Reports that `name` depends on itself through `path` (the values being
  /// resolved, outermost first) and marks the cycle failed.
  void reportCycle(llvm::StringRef name, llvm::ArrayRef<llvm::StringRef> path);

  /// Analyzes an expression that must yield a tensor; -1 on error.
  int expr(const Expr &e, const std::string &owner, bool isRoot);

  static std::string describe(const Expr &e);

  const LayerSpec *findLayer(const Expr &call);

  int call(const Expr &e, const std::string &owner, bool isRoot);

  static const OptionSpec *findOption(const LayerSpec &spec,
                                      llvm::StringRef name);

  static std::string optionList(const LayerSpec &spec);

  /// Computes l.shape from its inputs; reports a mismatch and returns false.
  bool shapeOf(Layer &l);

  /// A connection table: a list of strings, one per input map, one
  /// character per output map, 'X' where the input feeds the output and
  /// '.' or ' ' where it does not (the layout of LeCun et al.'s Table I).
  bool readTable(const Expr &v, std::vector<std::vector<bool>> &table);

  /// Checks a conv2d's table against its input maps and filters.
  bool checkTable(const Layer &l, int64_t inputs);

  /// Output shape of a convolution or pooling over a [C, H, W] input.
  bool windowShape(Layer &l, const std::vector<int64_t> &x);

  //===--- the train block ------------------------------------------------===//

  void analyzeTrain(const TrainDecl &t, const ModelDecl &model);

  /// The arguments of a call in the train block from `first` on, each named
  /// option once: a repeat is reported and left out, so that what follows
  /// checks the first.
  std::vector<const Arg *> distinctArgs(const Expr &call, size_t first = 0);

  /// The loss compares with 'target' exactly when the data has regression
  /// targets; image augmentation needs images.
  void checkTargets();

  /// mnist | fashion_mnist, with the options pad=N, range=[lo, hi] and
  /// standardize=true.
  void analyzeData(const Expr &v);

  /// csv("train.csv", test="test.csv", label=COLUMN | target=COLUMN,
  /// header=true|false, standardize=true).
  void analyzeCsv(const Expr &v);

  /// shift(N): random translations of up to N pixels.
  void analyzeAugment(const Expr &v);

  /// `true` or `false`; otherwise an error saying `what` must be one.
  std::optional<bool> boolean(const Expr &v, const std::string &what);

  std::optional<int64_t> positiveInt(const Expr &v, llvm::StringRef what);

  bool analyzeLoss(const Expr &v);

  /// constant | cosine | step(every=N, gamma=G)
  void analyzeSchedule(const Expr &v);

  /// sgd(lr, momentum, nesterov, weight_decay) | adam(lr, beta1, beta2,
  /// eps, weight_decay) | rmsprop(lr, alpha, eps, weight_decay) |
  /// adagrad(lr, eps, weight_decay)
  void analyzeOptimizer(const Expr &v);

  const Locator &locate;
  Program prog;
  llvm::StringMap<Def> defs;
  std::vector<std::string> order;
  int paramLayers = 0; // parameterized layers in the current value so far
  /// "did you mean" searches over the model's names so far, and at most.
  int suggestionsMade = 0;
  static constexpr int kMaxSuggestions = 100;
  bool dataFailed = false; // the data setting could not be read
  bool hadError = false;
};

} // namespace nnc::sema

#endif
