//===- SemaLayers.cpp - the layer table and each layer's shape ------------===//
//
// What the language knows of each layer: its name, its operands and
// options (the table), and the shape of its result (shapeOf).
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Sema.h"

#include "nnrt/Prototypes.h"

using namespace nnc;
using namespace nnc::sema;

const std::vector<LayerSpec> &sema::layerTable() {
  static const std::vector<LayerSpec> table = {
      {"dense",
       LayerKind::Dense,
       1,
       {{"units", OptType::PositiveInt, true}, {"init", OptType::Init, false}}},
      {"rbf",
       LayerKind::RBF,
       1,
       {{"units", OptType::PositiveInt, true},
        {"prototypes", OptType::Prototypes, false},
        {"trainable", OptType::Bool, false}}},
      {"conv2d",
       LayerKind::Conv2D,
       1,
       {{"filters", OptType::PositiveInt, true},
        {"kernel", OptType::PositiveInt, true},
        {"stride", OptType::PositiveInt, false},
        {"padding", OptType::NonNegativeInt, false},
        {"init", OptType::Init, false},
        {"table", OptType::Table, false}}},
      {"avgpool",
       LayerKind::AvgPool,
       1,
       {{"size", OptType::PositiveInt, true},
        {"stride", OptType::PositiveInt, false}}},
      {"maxpool",
       LayerKind::MaxPool,
       1,
       {{"size", OptType::PositiveInt, true},
        {"stride", OptType::PositiveInt, false}}},
      {"subsample",
       LayerKind::Subsample,
       1,
       {{"size", OptType::PositiveInt, true}}},
      {"leaky_relu",
       LayerKind::LeakyRelu,
       1,
       {{"alpha", OptType::Number, false}},
       0.01},
      {"elu", LayerKind::Elu, 1, {{"alpha", OptType::Number, false}}, 1.0},
      {"softmax", LayerKind::Softmax, 1, {}},
#define ACTIVATION(name, Kind, Op) {name, LayerKind::Kind, 1, {}},
#include "compiler/Frontend/Activations.def"
      {"flatten", LayerKind::Flatten, 1, {}},
      {"dropout",
       LayerKind::Dropout,
       1,
       {{"rate", OptType::Number, false}},
       0.5},
      {"add", LayerKind::Add, 2, {}},
      {"sub", LayerKind::Sub, 2, {}},
      {"mul", LayerKind::Mul, 2, {}},
  };
  return table;
}

const OptionSpec *Sema::findOption(const LayerSpec &spec,
                                   llvm::StringRef name) {
  for (const OptionSpec &o : spec.options)
    if (name == o.name)
      return &o;
  return nullptr;
}

std::string Sema::optionList(const LayerSpec &spec) {
  llvm::SmallVector<llvm::StringRef> names;
  for (const OptionSpec &o : spec.options)
    names.push_back(o.name);
  return joinNames(names);
}

bool Sema::shapeOf(Layer &l) {
  auto in = [&](unsigned i) -> const std::vector<int64_t> & {
    return prog.layers[l.inputs[i]].shape;
  };
  switch (l.kind) {
  case LayerKind::Dense:
    if (in(0).size() != 1) {
      error(l.loc,
            "'dense' expects one feature vector per sample, but its input is ")
          << shapeString(in(0)) << "; flatten it first: dense(flatten(x), "
          << l.units << ")";
      return false;
    }
    l.shape = {l.units};
    return true;
  case LayerKind::RBF:
    if (in(0).size() != 1) {
      error(l.loc,
            "'rbf' expects one feature vector per sample, but its input is ")
          << shapeString(in(0)) << "; flatten it first";
      return false;
    }
    if (l.prototypes == "digits" &&
        (l.units != 10 || in(0)[0] != nnrt::kDigitWidth * nnrt::kDigitHeight)) {
      error(l.loc, "the digit prototypes are 10 bitmaps of ")
          << nnrt::kDigitWidth << "x" << nnrt::kDigitHeight << " = "
          << nnrt::kDigitWidth * nnrt::kDigitHeight
          << " pixels: they need 10 units on f32["
          << nnrt::kDigitWidth * nnrt::kDigitHeight << "], found " << l.units
          << " units on " << shapeString(in(0));
      return false;
    }
    l.shape = {l.units};
    return true;
  case LayerKind::Flatten:
    l.shape = {numElements(in(0))};
    return true;
  case LayerKind::Conv2D:
  case LayerKind::AvgPool:
  case LayerKind::MaxPool:
  case LayerKind::Subsample:
    return windowShape(l, in(0));
  case LayerKind::Add:
  case LayerKind::Sub:
  case LayerKind::Mul:
    if (in(0) != in(1)) {
      error(l.loc, "operands of '")
          << l.op << "' have different shapes: " << shapeString(in(0)) << " vs "
          << shapeString(in(1));
      return false;
    }
    l.shape = in(0);
    return true;
  default:
    l.shape = in(0);
    return true;
  }
}

bool Sema::readTable(const Expr &v, std::vector<std::vector<bool>> &table) {
  if (v.kind != Expr::Kind::List || v.elements.empty()) {
    error(v.loc, "a connection table is a list of strings, one per input "
                 "map, e.g. [\"XX.\", \".XX\"]; found ")
        << describe(v);
    return false;
  }
  for (const ExprPtr &row : v.elements) {
    if (row->kind != Expr::Kind::String) {
      error(row->loc, "each row of a connection table is a string, found ")
          << describe(*row);
      return false;
    }
    std::vector<bool> bits;
    for (char c : row->text) {
      if (c != 'X' && c != 'x' && c != '.' && c != ' ') {
        error(row->loc, "connection tables use 'X' for a connection and '.' "
                        "or ' ' for none, found '")
            << std::string(1, c) << "'";
        return false;
      }
      bits.push_back(c == 'X' || c == 'x');
    }
    table.push_back(std::move(bits));
  }
  return true;
}

bool Sema::checkTable(const Layer &l, int64_t inputs) {
  if (l.table.empty())
    return true;
  if (int64_t(l.table.size()) != inputs) {
    error(l.loc, "the connection table has ")
        << l.table.size() << " rows but the input has " << inputs << " maps";
    return false;
  }
  for (size_t i = 0; i < l.table.size(); ++i)
    if (int64_t(l.table[i].size()) != l.units) {
      error(l.loc, "row ") << i << " of the connection table has "
                           << l.table[i].size() << " columns but the layer has "
                           << l.units << " filters";
      return false;
    }
  for (int64_t j = 0; j < l.units; ++j) {
    bool any = false;
    for (const std::vector<bool> &row : l.table)
      any |= row[j];
    if (!any) {
      error(l.loc, "column ") << j << " of the connection table is empty: "
                              << "output map " << j << " would see no input";
      return false;
    }
  }
  return true;
}

bool Sema::windowShape(Layer &l, const std::vector<int64_t> &x) {
  if (x.size() != 3) {
    error(l.loc, "'") << l.op << "' expects an image per sample, "
                      << "f32[channels, height, width], but its input is "
                      << shapeString(x);
    return false;
  }
  bool conv = l.kind == LayerKind::Conv2D;
  int64_t pad = conv ? l.padding : 0;
  if (conv && pad >= l.kernel) {
    error(l.loc, "padding ")
        << pad << " must be smaller than the kernel " << l.kernel;
    return false;
  }
  if (l.kernel > x[1] + 2 * pad || l.kernel > x[2] + 2 * pad) {
    error(l.loc, conv ? "kernel " : "pooling window ")
        << l.kernel << "x" << l.kernel << " is larger than the "
        << (pad ? "padded " : "") << x[1] + 2 * pad << "x" << x[2] + 2 * pad
        << " input";
    return false;
  }
  if (!conv) {
    if (l.stride != l.kernel) {
      error(l.loc, "pooling with stride ")
          << l.stride << " != size " << l.kernel
          << " (overlapping windows) is not supported yet";
      return false;
    }
    if (x[1] % l.kernel || x[2] % l.kernel) {
      error(l.loc, "pooling windows of ")
          << l.kernel << "x" << l.kernel << " do not divide the " << x[1] << "x"
          << x[2] << " map";
      return false;
    }
  }
  int64_t oh = (x[1] + 2 * pad - l.kernel) / l.stride + 1;
  int64_t ow = (x[2] + 2 * pad - l.kernel) / l.stride + 1;
  l.shape = {conv ? l.units : x[0], oh, ow};
  return true;
}
