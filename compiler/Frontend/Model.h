//===- Model.h - a checked model: layers, shapes, training ------*- C++ -*-===//
//
// What semantic analysis makes of the syntax tree: every name resolved,
// layers in dependency order, per-sample shapes known, parameters named, and
// the train block turned into settings. ProgramToNN, `nnc summary` and the
// runtime's configuration all read this, never the AST.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_MODEL_H
#define NNC_FRONTEND_MODEL_H

#include "compiler/Frontend/AST.h"
#include "compiler/Frontend/Parser.h"

#include <map>
#include <optional>

namespace nnc {

enum class LayerKind {
  Input,
  Dense,
  RBF,
  Conv2D,
  AvgPool,
  MaxPool,
  Subsample,
  LeakyRelu,
  Elu,
  Softmax,
#define ACTIVATION(name, Kind, Op) Kind,
#include "compiler/Frontend/Activations.def"
  Flatten,
  Dropout,
  Add,
  Sub,
  Mul,
};

/// A trainable tensor of a layer, e.g. `fc1.weight`.
struct ParamInfo {
  std::string name;
  std::vector<int64_t> shape;
  /// "glorot", "he", "lecun", "zeros", "ones", "digits" or "signs"; see
  /// docs/language.md.
  std::string init;
  /// Entries that training can change: all of them, except for a
  /// convolution weight under a connection table.
  int64_t trainable = -1;

  int64_t trainableCount() const;
};

struct Layer {
  LayerKind kind;
  std::string op;    // as written: "dense", "relu", ...
  std::string name;  // the value it defines, or a derived name when nested
  std::string value; // the definition it is part of ("loss" in the loss)
  llvm::SMLoc loc;
  std::vector<int> inputs;    // indices of earlier layers
  std::vector<int64_t> shape; // per sample (without the batch); images are
                              // [channels, height, width]
  int64_t units = 0;          // dense units, conv2d filters
  int64_t kernel = 0;         // conv2d kernel, pooling window
  int64_t stride = 1;         // conv2d, pooling
  int64_t padding = 0;        // conv2d
  double alpha = 0;           // leaky_relu, elu; dropout's rate
  /// conv2d's connection table: table[i][j] says input map i feeds output
  /// map j (empty: every input feeds every output).
  std::vector<std::vector<bool>> table;
  /// rbf: "digits" (LeNet-5's bitmaps) or "random" (signs), and whether
  /// training may move them.
  std::string prototypes = "random";
  bool trainable = false;
  std::vector<ParamInfo> params;
};

enum class LossKind { CrossEntropy, MSE, Cosine, Distance };

struct TrainSettings {
  bool present = false;
  llvm::SMLoc loc;
  /// "mnist", "fashion_mnist" or "csv".
  std::string dataset = "mnist";
  llvm::SMLoc dataLoc;
  /// csv: the tables as written (relative to the model file), the label or
  /// target column ("first", "last", an index or a header name), whether it
  /// holds regression targets, and whether there is a header (unset: guess).
  std::string csvTrain, csvTest;
  std::string csvColumn = "last";
  bool csvRegression = false;
  std::optional<bool> csvHeader;
  int64_t pad = 0; // zero border added around each image
  /// Pixel values map from [0, 1] to [range->first, range->second]
  /// (LeNet-5: -0.1 and 1.175), or are standardized to mean 0 and variance
  /// 1 with the training set's figures.
  std::optional<std::pair<double, double>> range;
  bool standardize = false;
  /// Training images move by up to this many pixels each way, seeded.
  int64_t shift = 0;
  LossKind loss = LossKind::CrossEntropy;
  int lossInput = -1; // layer index of the loss's prediction argument
  llvm::SMLoc lossLoc;
  /// The loss's second argument: "label" (classes) or "target" (values).
  std::string lossTarget = "label";
  llvm::SMLoc lossTargetLoc;
  std::string optimizer = "sgd";
  double lr = 0.01;
  /// "constant", "cosine" or "step" (with stepEvery and stepGamma).
  std::string schedule = "constant";
  int64_t stepEvery = 1;
  double stepGamma = 0.1;
  /// The optimizer's hyper-parameters the train block sets (a flag: 1 or
  /// 0); the others take their defaults from dialects/nn/IR/Optimizers.h.
  std::map<std::string, double> hyper;
  int64_t batch = 32;
  int64_t epochs = 1;
  uint64_t seed = 1;
};

struct Program {
  std::string name;
  llvm::SMLoc loc;
  std::vector<Layer> layers; // dependency order
  int input = -1;
  int output = -1;
  TrainSettings train;
  /// The batch the functions are compiled for when there is no training
  /// (`nnc bench --batch`).
  int64_t inferenceBatch = 1;

  /// The batch size of the compiled functions.
  int64_t batch() const { return train.present ? train.batch : inferenceBatch; }
  int64_t parameterCount() const;
  /// Multiply-adds of one sample's forward pass (dense, conv2d, rbf).
  double multiplyAdds() const;
  /// Every parameter in the order the compiled functions take them.
  std::vector<ParamInfo> parameters() const;
};

/// Checks names, shapes, layers and options; reports every independent error
/// as an MLIR diagnostic and fails if there was any.
mlir::FailureOr<Program> analyze(const ModuleAST &module,
                                 const Locator &locate);

/// The number of elements of a per-sample shape.
int64_t numElements(llvm::ArrayRef<int64_t> shape);
/// The elements of `shape` times `factor`, or nullopt past kMaxElements
/// (never an overflow).
std::optional<int64_t> checkedElements(llvm::ArrayRef<int64_t> shape,
                                       int64_t factor = 1);
/// `f32[1, 28, 28]`, as the language writes shapes.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

} // namespace nnc

#endif
