//===- Sema.cpp - names, shapes and settings of a model -------------------===//
//
// Resolves the values of a model in dependency order (definitions may come in
// any order; a cycle is an error), checks every layer call against the layer
// table, computes per-sample shapes, names the parameters and reads the train
// block. Errors are collected: each is reported once, and values that depend
// on a failed one are skipped quietly instead of cascading.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Model.h"

#include "nnrt/Prototypes.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace nnc;
using mlir::failure;
using mlir::FailureOr;

int64_t nnc::numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string nnc::shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "f32[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, ", ");
  os << "]";
  return s;
}

int64_t ParamInfo::trainableCount() const {
  return trainable >= 0 ? trainable : numElements(shape);
}

int64_t Program::parameterCount() const {
  int64_t n = 0;
  for (const ParamInfo &p : parameters())
    n += p.trainableCount();
  return n;
}

int64_t Program::multiplyAdds() const {
  int64_t macs = 0;
  for (const Layer &l : layers) {
    if (l.kind == LayerKind::Dense || l.kind == LayerKind::RBF)
      macs += numElements(layers[l.inputs[0]].shape) * l.units;
    else if (l.kind == LayerKind::Conv2D)
      macs += l.shape[1] * l.shape[2] * l.units * l.kernel * l.kernel *
              layers[l.inputs[0]].shape[0];
  }
  return macs;
}

std::vector<ParamInfo> Program::parameters() const {
  std::vector<ParamInfo> all;
  for (const Layer &l : layers)
    all.insert(all.end(), l.params.begin(), l.params.end());
  return all;
}

namespace {

//===----------------------------------------------------------------------===//
// The layer table: what each layer call accepts.
//===----------------------------------------------------------------------===//

enum class OptType { PositiveInt, NonNegativeInt, Number, Init, Table, Prototypes, Bool };

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

const std::vector<LayerSpec> &layerTable() {
  static const std::vector<LayerSpec> table = {
      {"dense", LayerKind::Dense, 1,
       {{"units", OptType::PositiveInt, true}, {"init", OptType::Init, false}}},
      {"rbf", LayerKind::RBF, 1,
       {{"units", OptType::PositiveInt, true},
        {"prototypes", OptType::Prototypes, false},
        {"trainable", OptType::Bool, false}}},
      {"conv2d", LayerKind::Conv2D, 1,
       {{"filters", OptType::PositiveInt, true},
        {"kernel", OptType::PositiveInt, true},
        {"stride", OptType::PositiveInt, false},
        {"padding", OptType::NonNegativeInt, false},
        {"init", OptType::Init, false},
        {"table", OptType::Table, false}}},
      {"avgpool", LayerKind::AvgPool, 1,
       {{"size", OptType::PositiveInt, true}, {"stride", OptType::PositiveInt, false}}},
      {"maxpool", LayerKind::MaxPool, 1,
       {{"size", OptType::PositiveInt, true}, {"stride", OptType::PositiveInt, false}}},
      {"subsample", LayerKind::Subsample, 1, {{"size", OptType::PositiveInt, true}}},
      {"relu", LayerKind::Relu, 1, {}},
      {"leaky_relu", LayerKind::LeakyRelu, 1, {{"alpha", OptType::Number, false}}, 0.01},
      {"elu", LayerKind::Elu, 1, {{"alpha", OptType::Number, false}}, 1.0},
      {"scaled_tanh", LayerKind::ScaledTanh, 1, {}},
      {"swish", LayerKind::Swish, 1, {}},
      {"sigmoid", LayerKind::Sigmoid, 1, {}},
      {"tanh", LayerKind::Tanh, 1, {}},
      {"softmax", LayerKind::Softmax, 1, {}},
      {"step", LayerKind::Step, 1, {}},
      {"flatten", LayerKind::Flatten, 1, {}},
      {"dropout", LayerKind::Dropout, 1, {{"rate", OptType::Number, false}}, 0.5},
      {"add", LayerKind::Add, 2, {}},
      {"sub", LayerKind::Sub, 2, {}},
      {"mul", LayerKind::Mul, 2, {}},
  };
  return table;
}

const char *const kInits[] = {"glorot", "he", "lecun", "zeros"};
const char *const kDatasets[] = {"mnist", "fashion_mnist", "csv"};
const char *const kSettings[] = {"data",  "augment", "loss", "optimizer",
                                 "schedule", "batch", "epochs", "seed"};

/// "did you mean 'x'?" for the closest of `candidates`, if close enough.
template <typename Range>
std::optional<std::string> closest(llvm::StringRef word, const Range &candidates) {
  std::optional<std::string> best;
  unsigned bestDist = 3;
  for (llvm::StringRef c : candidates) {
    unsigned d = word.edit_distance(c);
    if (d < bestDist) {
      bestDist = d;
      best = c.str();
    }
  }
  return best;
}

/// A number as it would be written: 0.1, 1.5, 1e-05.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

template <typename Range>
std::string joinNames(const Range &names) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(names, os, [&](llvm::StringRef n) { os << n; }, ", ");
  return s;
}

class Sema {
public:
  Sema(const Locator &locate) : locate(locate) {}

  FailureOr<Program> run(const ModuleAST &module) {
    if (module.models.empty()) {
      if (!module.trains.empty())
        error(module.trains[0].loc, "train block without a model");
      else
        error(llvm::SMLoc(), "the file defines no model");
      return failure();
    }
    for (size_t i = 1; i < module.models.size(); ++i) {
      error(module.models[i].loc, "only one model per file is supported")
          .attachNote(locate(module.models[0].loc))
          << "the first model is here";
    }
    for (size_t i = 1; i < module.trains.size(); ++i) {
      error(module.trains[i].loc, "only one train block per file is supported")
          .attachNote(locate(module.trains[0].loc))
          << "the first train block is here";
    }
    const ModelDecl &model = module.models[0];
    prog.name = model.name;
    prog.loc = model.loc;
    analyzeModel(model);
    if (!module.trains.empty())
      analyzeTrain(module.trains[0], model);
    if (hadError)
      return failure();
    return std::move(prog);
  }

private:
  mlir::InFlightDiagnostic error(llvm::SMLoc loc, const llvm::Twine &msg) {
    hadError = true;
    return mlir::emitError(locate(loc), msg);
  }

  //===--- the model ------------------------------------------------------===//

  enum class State { Unvisited, Visiting, Done, Failed };

  struct Def {
    const Assign *assign = nullptr; // null for the input
    llvm::SMLoc loc;
    State state = State::Unvisited;
    int layer = -1;
    bool used = false;
  };

  void analyzeModel(const ModelDecl &model) {
    // Collect every definition first: uses may precede definitions.
    for (const InputDecl &in : model.inputs) {
      if (!declare(in.name, in.loc))
        continue;
      if (prog.input >= 0) {
        error(in.loc, "models with more than one input are not supported yet");
        continue;
      }
      Layer l;
      l.kind = LayerKind::Input;
      l.op = "input";
      l.name = in.name;
      l.value = in.name;
      l.loc = in.loc;
      l.shape = in.shape;
      prog.input = addLayer(std::move(l));
      Def &d = defs[in.name];
      d.state = State::Done;
      d.layer = prog.input;
    }
    if (model.inputs.empty())
      error(model.loc, "model '") << model.name
                                  << "' has no input; declare one with "
                                     "'input x: f32[...]'";
    const Assign *output = nullptr;
    for (const Assign &a : model.assigns) {
      if (!declare(a.name, a.loc))
        continue;
      defs[a.name].assign = &a;
      order.push_back(a.name);
      if (a.isOutput) {
        if (output) {
          mlir::InFlightDiagnostic diag =
              error(a.loc, "model '") << model.name
                                      << "' has more than one output; only one "
                                         "is supported";
          diag.attachNote(locate(output->loc)) << "the first output is here";
        } else
          output = &a;
      }
    }
    for (const std::string &name : order)
      resolve(name);
    if (!output) {
      if (!model.assigns.empty() || !model.inputs.empty())
        error(model.loc, "model '")
            << model.name << "' has no output; mark one with 'output NAME = ...'";
    } else {
      prog.output = defs[output->name].layer;
    }
    for (const Assign &a : model.assigns)
      if (a.isOutput && defs.count(a.name))
        defs[a.name].used = true;
    for (const std::string &name : order) {
      const Def &d = defs[name];
      if (!d.used && d.state == State::Done)
        mlir::emitWarning(locate(d.loc), "value '")
            << name << "' is never used";
    }
  }

  /// Registers a name; reports a redefinition and returns false.
  bool declare(const std::string &name, llvm::SMLoc loc) {
    auto [it, inserted] = defs.try_emplace(name);
    if (!inserted) {
      mlir::InFlightDiagnostic diag = error(loc, "redefinition of '")
                                      << name << "'";
      diag.attachNote(locate(it->second.loc)) << "previous definition is here";
      return false;
    }
    it->second.loc = loc;
    return true;
  }

  int addLayer(Layer l) {
    prog.layers.push_back(std::move(l));
    return static_cast<int>(prog.layers.size()) - 1;
  }

  /// Resolves a named value, defining its layers first; -1 on error.
  int resolve(const std::string &name) {
    Def &d = defs[name];
    switch (d.state) {
    case State::Done:
      return d.layer;
    case State::Failed:
      return -1;
    case State::Visiting: {
      // A cycle: report it at the first definition on the stack within it.
      auto start = llvm::find(stack, name);
      mlir::InFlightDiagnostic diag =
          error(defs[name].loc, "cycle in the model: '")
          << name << "' depends on itself through ";
      for (auto it = start; it != stack.end(); ++it)
        diag << *it << " -> ";
      diag << name;
      for (auto it = start + 1; it != stack.end(); ++it)
        diag.attachNote(locate(defs[*it].loc)) << "'" << *it << "' is defined here";
      for (auto it = start; it != stack.end(); ++it)
        defs[*it].state = State::Failed;
      return -1;
    }
    case State::Unvisited:
      break;
    }
    d.state = State::Visiting;
    stack.push_back(name);
    paramLayers = 0;
    int layer = expr(*d.assign->value, name, /*isRoot=*/true);
    stack.pop_back();
    Def &after = defs[name]; // the map may have grown
    if (after.state == State::Failed)
      return -1;
    after.state = layer >= 0 ? State::Done : State::Failed;
    after.layer = layer;
    return layer;
  }

  /// Analyzes an expression that must yield a tensor; -1 on error.
  int expr(const Expr &e, const std::string &owner, bool isRoot) {
    switch (e.kind) {
    case Expr::Kind::Name: {
      auto it = defs.find(e.text);
      if (it == defs.end()) {
        mlir::InFlightDiagnostic diag =
            error(e.loc, "use of undeclared value '") << e.text << "'";
        llvm::SmallVector<llvm::StringRef> names;
        for (auto &kv : defs)
          names.push_back(kv.getKey());
        if (auto near = closest(e.text, names))
          diag.attachNote(locate(defs[*near].loc))
              << "did you mean '" << *near << "'?";
        return -1;
      }
      it->second.used = true;
      int saveCount = paramLayers; // resolve() restarts the numbering
      int l = resolve(e.text);
      paramLayers = saveCount;
      return l;
    }
    case Expr::Kind::Call:
      return call(e, owner, isRoot);
    default:
      error(e.loc, "expected a tensor value, found ") << describe(e);
      return -1;
    }
  }

  static std::string describe(const Expr &e) {
    switch (e.kind) {
    case Expr::Kind::Integer:
      return std::to_string(static_cast<int64_t>(e.number));
    case Expr::Kind::Number: {
      return num(e.number);
    }
    case Expr::Kind::String:
      return "a string";
    case Expr::Kind::List:
      return "a list";
    case Expr::Kind::Name:
      return "'" + e.text + "'";
    case Expr::Kind::Call:
      return "a call to '" + e.text + "'";
    }
    return "an expression";
  }

  const LayerSpec *findLayer(const Expr &call) {
    for (const LayerSpec &s : layerTable())
      if (call.text == s.name)
        return &s;
    mlir::InFlightDiagnostic diag =
        error(call.loc, "unknown layer '") << call.text << "'";
    llvm::SmallVector<llvm::StringRef> names;
    for (const LayerSpec &s : layerTable())
      names.push_back(s.name);
    if (auto near = closest(call.text, names))
      diag << "; did you mean '" << *near << "'?";
    return nullptr;
  }

  int call(const Expr &e, const std::string &owner, bool isRoot) {
    const LayerSpec *spec = findLayer(e);
    if (!spec)
      return -1;
    // Split arguments: tensor inputs, then positional options, then named.
    std::vector<const Expr *> tensorArgs;
    llvm::StringMap<const Arg *> options;
    bool ok = true;
    unsigned positional = 0;
    for (const Arg &a : e.args) {
      if (!a.name.empty()) {
        const OptionSpec *opt = findOption(*spec, a.name);
        if (!opt) {
          mlir::InFlightDiagnostic diag =
              error(a.nameLoc, "'") << spec->name << "' has no option '" << a.name << "'";
          if (spec->options.empty())
            diag << "; it takes no options";
          else {
            llvm::SmallVector<llvm::StringRef> names;
            for (const OptionSpec &o : spec->options)
              names.push_back(o.name);
            diag << "; its options are " << joinNames(names);
          }
          ok = false;
        } else if (!options.try_emplace(a.name, &a).second) {
          error(a.nameLoc, "option '") << a.name << "' is given twice";
          ok = false;
        }
        continue;
      }
      if (positional < spec->tensorInputs) {
        tensorArgs.push_back(a.value.get());
      } else if (positional - spec->tensorInputs < spec->options.size()) {
        const OptionSpec &opt = spec->options[positional - spec->tensorInputs];
        if (!options.try_emplace(opt.name, &a).second) {
          error(a.value->loc, "option '") << opt.name << "' is given twice";
          ok = false;
        }
      } else {
        error(a.value->loc, "too many arguments to '")
            << spec->name << "': it takes " << spec->tensorInputs << " input"
            << (spec->tensorInputs == 1 ? "" : "s")
            << (spec->options.empty() ? "" : " and options ")
            << (spec->options.empty() ? "" : optionList(*spec));
        ok = false;
      }
      ++positional;
    }
    if (tensorArgs.size() < spec->tensorInputs) {
      error(e.loc, "'") << spec->name << "' expects " << spec->tensorInputs
                        << " input" << (spec->tensorInputs == 1 ? "" : "s")
                        << ", got " << tensorArgs.size();
      ok = false;
    }
    for (const OptionSpec &opt : spec->options)
      if (ok && opt.required && !options.count(opt.name)) {
        error(e.loc, "'") << spec->name << "' needs option '" << opt.name
                          << "', e.g. " << spec->name << "(x, " << opt.name
                          << "=10)";
        ok = false;
      }

    Layer l;
    l.kind = spec->kind;
    l.op = spec->name;
    l.loc = e.loc;
    l.value = owner;
    // A value's parameterized layer takes its name (h1.weight); a second one
    // in the same expression gets a suffix. Other nested layers are h1.op.
    if (spec->kind == LayerKind::Dense || spec->kind == LayerKind::Conv2D ||
        spec->kind == LayerKind::Subsample || spec->kind == LayerKind::RBF)
      l.name = paramLayers++ == 0 ? owner : owner + "_" + std::to_string(paramLayers);
    else
      l.name = isRoot ? owner : owner + "." + spec->name;
    for (const Expr *arg : tensorArgs) {
      int in = expr(*arg, owner, /*isRoot=*/false);
      if (in < 0)
        ok = false;
      l.inputs.push_back(in);
    }
    std::string init;
    l.alpha = spec->alpha;
    bool strideGiven = options.count("stride");
    for (auto &kv : options) {
      const OptionSpec *opt = findOption(*spec, kv.getKey());
      const Expr &v = *kv.getValue()->value;
      if (opt->type == OptType::PositiveInt ||
          opt->type == OptType::NonNegativeInt) {
        bool positive = opt->type == OptType::PositiveInt;
        if (v.kind != Expr::Kind::Integer || v.number < (positive ? 1 : 0)) {
          error(v.loc, "option '") << opt->name << "' of '" << spec->name
                                   << "' must be a "
                                   << (positive ? "positive" : "non-negative")
                                   << " integer, found " << describe(v);
          ok = false;
          continue;
        }
        int64_t n = static_cast<int64_t>(v.number);
        llvm::StringRef name = opt->name;
        if (name == "units" || name == "filters")
          l.units = n;
        else if (name == "kernel" || name == "size")
          l.kernel = n;
        else if (name == "stride")
          l.stride = n;
        else if (name == "padding")
          l.padding = n;
      } else if (opt->type == OptType::Number) {
        if (!v.isNumber()) {
          error(v.loc, "option '") << opt->name << "' of '" << spec->name
                                   << "' must be a number, found " << describe(v);
          ok = false;
        } else {
          l.alpha = v.number;
        }
      } else if (opt->type == OptType::Prototypes) {
        if (v.kind != Expr::Kind::Name || (v.text != "digits" && v.text != "random")) {
          error(v.loc, "unknown prototypes ")
              << describe(v) << "; use digits (LeNet-5's 7x12 bitmaps) or random";
          ok = false;
        } else {
          l.prototypes = v.text;
        }
      } else if (opt->type == OptType::Bool) {
        std::optional<bool> b = boolean(
            v, ("option '" + llvm::Twine(opt->name) + "' of '" + spec->name + "'").str());
        if (b)
          l.trainable = *b;
        else
          ok = false;
      } else if (opt->type == OptType::Table) {
        if (!readTable(v, l.table))
          ok = false;
      } else if (opt->type == OptType::Init) {
        if (v.kind != Expr::Kind::Name ||
            !llvm::is_contained(kInits, llvm::StringRef(v.text))) {
          error(v.loc, "unknown initializer ") << describe(v)
                                               << "; use one of " << joinNames(kInits);
          ok = false;
        } else {
          init = v.text;
        }
      }
    }
    if (!ok)
      return -1;
    if (l.kind == LayerKind::Dropout && (l.alpha < 0 || l.alpha >= 1)) {
      error(e.loc, "dropout rate must be in [0, 1), found ") << num(l.alpha);
      return -1;
    }
    // Pooling windows step by their size unless told otherwise.
    if ((l.kind == LayerKind::AvgPool || l.kind == LayerKind::MaxPool ||
         l.kind == LayerKind::Subsample) &&
        !strideGiven)
      l.stride = l.kernel;
    if (!shapeOf(l))
      return -1;
    if (l.kind == LayerKind::Dense) {
      int64_t in = prog.layers[l.inputs[0]].shape[0];
      l.params.push_back({l.name + ".weight", {in, l.units}, init});
      l.params.push_back({l.name + ".bias", {l.units}, "zeros"});
    } else if (l.kind == LayerKind::RBF && l.trainable) {
      // Fixed prototypes are constants of the compiled code, not parameters.
      int64_t in = prog.layers[l.inputs[0]].shape[0];
      l.params.push_back({l.name + ".prototypes", {l.units, in},
                          l.prototypes == "digits" ? "digits" : "signs"});
    } else if (l.kind == LayerKind::Conv2D) {
      // One row per (kh, kw, input channel), one column per filter: the
      // weight of the matmul that the convolution becomes.
      int64_t channels = prog.layers[l.inputs[0]].shape[0];
      if (!checkTable(l, channels))
        return -1;
      ParamInfo weight{l.name + ".weight", {l.kernel * l.kernel * channels, l.units},
                       init};
      if (!l.table.empty()) {
        int64_t connections = 0;
        for (const std::vector<bool> &row : l.table)
          connections += std::count(row.begin(), row.end(), true);
        weight.trainable = connections * l.kernel * l.kernel;
      }
      l.params.push_back(weight);
      l.params.push_back({l.name + ".bias", {l.units}, "zeros"});
    } else if (l.kind == LayerKind::Subsample) {
      // One coefficient and one bias per map (LeCun et al. 1998).
      int64_t maps = l.shape[0];
      l.params.push_back({l.name + ".coef", {maps}, "ones"});
      l.params.push_back({l.name + ".bias", {maps}, "zeros"});
    }
    return addLayer(std::move(l));
  }

  static const OptionSpec *findOption(const LayerSpec &spec, llvm::StringRef name) {
    for (const OptionSpec &o : spec.options)
      if (name == o.name)
        return &o;
    return nullptr;
  }

  static std::string optionList(const LayerSpec &spec) {
    llvm::SmallVector<llvm::StringRef> names;
    for (const OptionSpec &o : spec.options)
      names.push_back(o.name);
    return joinNames(names);
  }

  /// Computes l.shape from its inputs; reports a mismatch and returns false.
  bool shapeOf(Layer &l) {
    auto in = [&](unsigned i) -> const std::vector<int64_t> & {
      return prog.layers[l.inputs[i]].shape;
    };
    switch (l.kind) {
    case LayerKind::Dense:
      if (in(0).size() != 1) {
        error(l.loc, "'dense' expects one feature vector per sample, but its input is ")
            << shapeString(in(0)) << "; flatten it first: dense(flatten(x), "
            << l.units << ")";
        return false;
      }
      l.shape = {l.units};
      return true;
    case LayerKind::RBF:
      if (in(0).size() != 1) {
        error(l.loc, "'rbf' expects one feature vector per sample, but its input is ")
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
        error(l.loc, "operands of '") << l.op << "' have different shapes: "
                                      << shapeString(in(0)) << " vs "
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

  /// A connection table: a list of strings, one per input map, one
  /// character per output map, 'X' where the input feeds the output and
  /// '.' or ' ' where it does not (the layout of LeCun et al.'s Table I).
  bool readTable(const Expr &v, std::vector<std::vector<bool>> &table) {
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

  /// Checks a conv2d's table against its input maps and filters.
  bool checkTable(const Layer &l, int64_t inputs) {
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

  /// Output shape of a convolution or pooling over a [C, H, W] input.
  bool windowShape(Layer &l, const std::vector<int64_t> &x) {
    if (x.size() != 3) {
      error(l.loc, "'") << l.op << "' expects an image per sample, "
                        << "f32[channels, height, width], but its input is "
                        << shapeString(x);
      return false;
    }
    bool conv = l.kind == LayerKind::Conv2D;
    int64_t pad = conv ? l.padding : 0;
    if (conv && pad >= l.kernel) {
      error(l.loc, "padding ") << pad << " must be smaller than the kernel "
                               << l.kernel;
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
            << l.kernel << "x" << l.kernel << " do not divide the " << x[1]
            << "x" << x[2] << " map";
        return false;
      }
    }
    int64_t oh = (x[1] + 2 * pad - l.kernel) / l.stride + 1;
    int64_t ow = (x[2] + 2 * pad - l.kernel) / l.stride + 1;
    l.shape = {conv ? l.units : x[0], oh, ow};
    return true;
  }

  //===--- the train block ------------------------------------------------===//

  void analyzeTrain(const TrainDecl &t, const ModelDecl &model) {
    TrainSettings &s = prog.train;
    s.present = true;
    s.loc = t.loc;
    if (t.model != model.name) {
      mlir::InFlightDiagnostic diag =
          error(t.loc, "train block names model '")
          << t.model << "', but the model is '" << model.name << "'";
      diag.attachNote(locate(model.loc))
          << "model '" << model.name << "' is defined here";
    }
    llvm::StringMap<llvm::SMLoc> seen;
    bool haveLoss = false;
    for (const Setting &set : t.settings) {
      auto [it, inserted] = seen.try_emplace(set.key, set.loc);
      if (!inserted) {
        mlir::InFlightDiagnostic diag =
            error(set.loc, "setting '") << set.key << "' is given twice";
        diag.attachNote(locate(it->second)) << "previous setting is here";
        continue;
      }
      const Expr &v = *set.value;
      if (set.key == "data") {
        analyzeData(v);
      } else if (set.key == "augment") {
        analyzeAugment(v);
      } else if (set.key == "loss") {
        haveLoss = analyzeLoss(v);
      } else if (set.key == "optimizer") {
        analyzeOptimizer(v);
      } else if (set.key == "schedule") {
        analyzeSchedule(v);
      } else if (set.key == "batch") {
        if (auto n = positiveInt(v, "batch"))
          s.batch = *n;
      } else if (set.key == "epochs") {
        if (auto n = positiveInt(v, "epochs"))
          s.epochs = *n;
      } else if (set.key == "seed") {
        if (v.kind != Expr::Kind::Integer || v.number < 0)
          error(v.loc, "'seed' must be a non-negative integer, found ") << describe(v);
        else
          s.seed = static_cast<uint64_t>(v.number);
      } else {
        mlir::InFlightDiagnostic diag = error(set.loc, "unknown setting '")
                                        << set.key << "'";
        if (auto near = closest(set.key, kSettings))
          diag << "; did you mean '" << *near << "'?";
        else
          diag << "; settings are " << joinNames(kSettings);
      }
    }
    if (!haveLoss && !seen.count("loss"))
      error(t.loc, "train block has no loss; add e.g. "
                   "'loss = cross_entropy(softmax(y), label)'");
    checkTargets();
  }

  /// The loss compares with 'target' exactly when the data has regression
  /// targets; image augmentation needs images.
  void checkTargets() {
    TrainSettings &s = prog.train;
    if (dataFailed)
      return; // what the data holds is unknown
    if (s.lossTargetLoc.isValid() && (s.lossTarget == "target") != s.csvRegression) {
      mlir::InFlightDiagnostic diag =
          s.csvRegression
              ? error(s.lossTargetLoc, "the dataset has regression targets; "
                                       "compare with 'target', not 'label'")
              : error(s.lossTargetLoc, "the dataset has class labels; compare "
                                       "with 'label', not 'target'");
      if (s.dataLoc.isValid())
        diag.attachNote(locate(s.dataLoc)) << "the dataset is given here";
    }
    if (s.dataset == "csv" && s.shift > 0)
      error(s.loc, "'augment = shift(N)' moves image pixels; a CSV table has none");
    if (s.csvRegression && s.loss == LossKind::CrossEntropy && s.lossTargetLoc.isValid())
      error(s.lossLoc, "cross-entropy compares class probabilities; regression "
                       "targets need mse(y, target)");
  }

  /// mnist | fashion_mnist, with the options pad=N, range=[lo, hi] and
  /// standardize=true.
  void analyzeData(const Expr &v) {
    TrainSettings &s = prog.train;
    if ((v.kind != Expr::Kind::Name && v.kind != Expr::Kind::Call) ||
        !llvm::is_contained(kDatasets, llvm::StringRef(v.text))) {
      error(v.loc, "unknown dataset ")
          << describe(v) << "; known datasets are " << joinNames(kDatasets);
      dataFailed = true;
      return;
    }
    s.dataset = v.text;
    s.dataLoc = v.loc;
    if (v.text == "csv") {
      analyzeCsv(v);
      return;
    }
    llvm::SMLoc rangeLoc, standardizeLoc;
    for (const Arg &a : v.args) {
      const Expr &x = *a.value;
      if (a.name == "pad") {
        if (x.kind != Expr::Kind::Integer || x.number < 0)
          error(x.loc, "'pad' must be a non-negative integer, found ") << describe(x);
        else
          s.pad = static_cast<int64_t>(x.number);
      } else if (a.name == "range") {
        rangeLoc = a.nameLoc;
        if (x.kind != Expr::Kind::List || x.elements.size() != 2 ||
            !x.elements[0]->isNumber() || !x.elements[1]->isNumber()) {
          error(x.loc, "'range' is [background, ink], two numbers such as "
                       "[-0.1, 1.175], found ")
              << describe(x);
        } else if (x.elements[0]->number == x.elements[1]->number) {
          error(x.loc, "'range' maps background and ink to the same value");
        } else {
          s.range = {x.elements[0]->number, x.elements[1]->number};
        }
      } else if (a.name == "standardize") {
        standardizeLoc = a.nameLoc;
        if (std::optional<bool> b = boolean(x, "'standardize'"))
          s.standardize = *b;
      } else {
        error(a.name.empty() ? x.loc : a.nameLoc, "dataset '")
            << v.text << "' takes the options pad=N (a background border in "
                         "pixels), range=[background, ink] and standardize=true";
      }
    }
    if (s.range && s.standardize)
      error(standardizeLoc, "'standardize' and 'range' both set the pixel "
                            "scale; choose one")
              .attachNote(locate(rangeLoc))
          << "'range' is here";
  }

  /// csv("train.csv", test="test.csv", label=COLUMN | target=COLUMN,
  /// header=true|false, standardize=true).
  void analyzeCsv(const Expr &v) {
    TrainSettings &s = prog.train;
    static const char *const usage =
        "csv(\"train.csv\", test=\"test.csv\", label=last) or "
        "csv(..., target=last) for regression";
    if (v.kind != Expr::Kind::Call || v.args.empty() || !v.args[0].name.empty() ||
        v.args[0].value->kind != Expr::Kind::String) {
      error(v.loc, "'csv' takes the training table's path first: ") << usage;
      dataFailed = true;
      return;
    }
    s.csvTrain = v.args[0].value->text;
    llvm::SMLoc columnLoc;
    for (size_t i = 1; i < v.args.size(); ++i) {
      const Arg &a = v.args[i];
      const Expr &x = *a.value;
      if (a.name == "test") {
        if (x.kind != Expr::Kind::String)
          error(x.loc, "'test' is the path of the test table, a string, found ")
              << describe(x);
        else
          s.csvTest = x.text;
      } else if (a.name == "label" || a.name == "target") {
        if (columnLoc.isValid()) {
          error(a.nameLoc, "the table has one label or target column; it is "
                           "already given")
                  .attachNote(locate(columnLoc))
              << "here";
          continue;
        }
        columnLoc = a.nameLoc;
        s.csvRegression = a.name == "target";
        if (x.kind == Expr::Kind::Integer && x.number >= 0)
          s.csvColumn = std::to_string(static_cast<int64_t>(x.number));
        else if (x.kind == Expr::Kind::String ||
                 (x.kind == Expr::Kind::Name && (x.text == "first" || x.text == "last")))
          s.csvColumn = x.text;
        else
          error(x.loc, "'") << a.name << "' is a column: first, last, an index "
                                         "from 0 or a header name in quotes, found "
                            << describe(x);
      } else if (a.name == "header" || a.name == "standardize") {
        if (std::optional<bool> b = boolean(x, "'" + a.name + "'")) {
          if (a.name == "header")
            s.csvHeader = *b;
          else
            s.standardize = *b;
        }
      } else {
        error(a.name.empty() ? x.loc : a.nameLoc, "'csv' takes the options test, "
                                                  "label or target, header and standardize");
      }
    }
    if (s.csvTest.empty())
      error(v.loc, "'csv' needs a test table to evaluate on: ") << usage;
  }

  /// shift(N): random translations of up to N pixels.
  void analyzeAugment(const Expr &v) {
    if (v.kind != Expr::Kind::Call || v.text != "shift" || v.args.size() != 1 ||
        !v.args[0].name.empty()) {
      error(v.loc, "unknown augmentation ")
          << describe(v) << "; use shift(N): random shifts of up to N pixels";
      return;
    }
    const Expr &n = *v.args[0].value;
    if (n.kind != Expr::Kind::Integer || n.number < 0)
      error(n.loc, "'shift' takes a non-negative number of pixels, found ")
          << describe(n);
    else
      prog.train.shift = static_cast<int64_t>(n.number);
  }

  /// `true` or `false`; otherwise an error saying `what` must be one.
  std::optional<bool> boolean(const Expr &v, const std::string &what) {
    if (v.kind != Expr::Kind::Name || (v.text != "true" && v.text != "false")) {
      error(v.loc, what) << " must be true or false, found " << describe(v);
      return std::nullopt;
    }
    return v.text == "true";
  }

  std::optional<int64_t> positiveInt(const Expr &v, llvm::StringRef what) {
    if (v.kind != Expr::Kind::Integer || v.number <= 0) {
      error(v.loc, "'") << what << "' must be a positive integer, found "
                        << describe(v);
      return std::nullopt;
    }
    return static_cast<int64_t>(v.number);
  }

  bool analyzeLoss(const Expr &v) {
    TrainSettings &s = prog.train;
    s.lossLoc = v.loc;
    if (v.kind != Expr::Kind::Call ||
        (v.text != "cross_entropy" && v.text != "mse" && v.text != "cosine" &&
         v.text != "distance")) {
      error(v.loc, "unknown loss ")
          << describe(v)
          << "; use cross_entropy(p, label), mse(y, label), cosine(y, label) "
             "or distance(y, label)";
      return false;
    }
    s.loss = v.text == "mse"        ? LossKind::MSE
             : v.text == "cosine"   ? LossKind::Cosine
             : v.text == "distance" ? LossKind::Distance
                                    : LossKind::CrossEntropy;
    if (v.args.size() != 2 || !v.args[0].name.empty() || !v.args[1].name.empty()) {
      error(v.loc, "'") << v.text << "' takes two arguments: the prediction and 'label'";
      return false;
    }
    const Expr &target = *v.args[1].value;
    if (target.kind != Expr::Kind::Name ||
        (target.text != "label" && target.text != "target")) {
      error(target.loc, "the second argument of '")
          << v.text << "' must be 'label' (classes) or 'target' (regression values), found "
          << describe(target);
      return false;
    }
    s.lossTarget = target.text;
    s.lossTargetLoc = target.loc;
    size_t firstLossLayer = prog.layers.size();
    int in = expr(*v.args[0].value, "loss", /*isRoot=*/false);
    if (in < 0)
      return false;
    for (size_t i = firstLossLayer; i < prog.layers.size(); ++i)
      if (!prog.layers[i].params.empty()) {
        error(prog.layers[i].loc, "'")
            << prog.layers[i].op
            << "' has parameters, which belong in the model, not in the loss";
        return false;
      }
    const Layer &p = prog.layers[in];
    if (prog.output >= 0 && p.shape != prog.layers[prog.output].shape) {
      error(v.args[0].value->loc, "the prediction has shape ")
          << shapeString(p.shape) << " but the model output has "
          << shapeString(prog.layers[prog.output].shape);
      return false;
    }
    if (p.shape.size() != 1) {
      error(v.args[0].value->loc, "losses take one vector per sample, found ")
          << shapeString(p.shape);
      return false;
    }
    if (s.loss == LossKind::Distance && p.kind != LayerKind::RBF) {
      error(v.args[0].value->loc, "the 'distance' loss takes the output of an "
                                  "'rbf' layer, found '")
          << p.op << "'";
      return false;
    }
    s.lossInput = in;
    for (const Layer &l : prog.layers)
      if (l.kind == LayerKind::Step)
        mlir::emitWarning(locate(l.loc),
                          "training through 'step': its gradient is zero "
                          "almost everywhere, so layers before it do not learn");
    return true;
  }

  /// constant | cosine | step(every=N, gamma=G)
  void analyzeSchedule(const Expr &v) {
    TrainSettings &s = prog.train;
    if ((v.kind != Expr::Kind::Name && v.kind != Expr::Kind::Call) ||
        (v.text != "constant" && v.text != "cosine" && v.text != "step")) {
      error(v.loc, "unknown learning-rate schedule ")
          << describe(v) << "; use constant, cosine or step(every=N, gamma=G)";
      return;
    }
    s.schedule = v.text;
    for (const Arg &a : v.args) {
      const Expr &x = *a.value;
      if (v.text != "step" || (a.name != "every" && a.name != "gamma")) {
        error(a.name.empty() ? x.loc : a.nameLoc, "'")
            << v.text << "' takes "
            << (v.text == "step" ? "the options every and gamma" : "no options");
        continue;
      }
      if (a.name == "every") {
        if (x.kind != Expr::Kind::Integer || x.number <= 0)
          error(x.loc, "'every' must be a positive integer, found ") << describe(x);
        else
          s.stepEvery = static_cast<int64_t>(x.number);
      } else if (!x.isNumber() || x.number <= 0 || x.number > 1) {
        error(x.loc, "'gamma' must be in (0, 1], found ") << describe(x);
      } else {
        s.stepGamma = x.number;
      }
    }
  }

  /// sgd(lr, momentum, nesterov, weight_decay) | adam(lr, beta1, beta2,
  /// eps, weight_decay) | rmsprop(lr, alpha, eps, weight_decay) |
  /// adagrad(lr, eps, weight_decay)
  void analyzeOptimizer(const Expr &v) {
    TrainSettings &s = prog.train;
    static const llvm::StringMap<std::vector<const char *>> known = {
        {"sgd", {"lr", "momentum", "nesterov", "weight_decay"}},
        {"adam", {"lr", "beta1", "beta2", "eps", "weight_decay"}},
        {"rmsprop", {"lr", "alpha", "eps", "weight_decay"}},
        {"adagrad", {"lr", "eps", "weight_decay"}}};
    if ((v.kind != Expr::Kind::Call && v.kind != Expr::Kind::Name) ||
        !known.count(v.text)) {
      error(v.loc, "unknown optimizer ")
          << describe(v) << "; use sgd, adam, rmsprop or adagrad";
      return;
    }
    s.optimizer = v.text;
    const std::vector<const char *> &options = known.lookup(v.text);
    for (const Arg &a : v.args) {
      const Expr &x = *a.value;
      if (a.name.empty()) {
        error(x.loc, "options of '") << v.text << "' are named: " << v.text
                                     << "(lr=0.1)";
        continue;
      }
      if (!llvm::is_contained(options, llvm::StringRef(a.name))) {
        error(a.nameLoc, "'") << v.text << "' has no option '" << a.name
                              << "'; its options are " << joinNames(options);
        continue;
      }
      if (a.name == "nesterov") {
        if (std::optional<bool> b = boolean(x, "'nesterov'"))
          s.nesterov = *b;
        continue;
      }
      if (!x.isNumber()) {
        error(x.loc, "option '") << a.name << "' must be a number, found "
                                 << describe(x);
        continue;
      }
      double n = x.number;
      auto inUnit = [&](double &field) {
        if (n < 0 || n >= 1)
          error(x.loc, "'") << a.name << "' must be in [0, 1), found " << num(n);
        field = n;
      };
      if (a.name == "lr") {
        if (n <= 0)
          error(x.loc, "'lr' must be positive, found ") << num(n);
        s.lr = n;
      } else if (a.name == "momentum") {
        inUnit(s.momentum);
      } else if (a.name == "beta1") {
        inUnit(s.beta1);
      } else if (a.name == "beta2") {
        inUnit(s.beta2);
      } else if (a.name == "alpha") {
        inUnit(s.alpha);
      } else if (a.name == "eps") {
        if (n <= 0)
          error(x.loc, "'eps' must be positive, found ") << num(n);
        s.eps = n;
      } else {
        if (n < 0)
          error(x.loc, "'weight_decay' must be non-negative, found ") << num(n);
        s.weightDecay = n;
      }
    }
    if (s.nesterov && s.momentum == 0)
      error(v.loc, "Nesterov momentum needs momentum > 0");
  }

  const Locator &locate;
  Program prog;
  llvm::StringMap<Def> defs;
  std::vector<std::string> order;
  std::vector<std::string> stack;
  int paramLayers = 0; // parameterized layers in the current value so far
  bool dataFailed = false; // the data setting could not be read
  bool hadError = false;
};

} // namespace

FailureOr<Program> nnc::analyze(const ModuleAST &module, const Locator &locate) {
  FailureOr<Program> prog = Sema(locate).run(module);
  if (failed(prog))
    return failure();
  // Default initializers follow the activation a dense layer feeds.
  for (Layer &l : prog->layers) {
    for (ParamInfo &p : l.params) {
      if (!p.init.empty())
        continue;
      bool feedsRelu = false;
      int self = static_cast<int>(&l - prog->layers.data());
      for (const Layer &user : prog->layers)
        if (user.kind == LayerKind::Relu && llvm::is_contained(user.inputs, self))
          feedsRelu = true;
      p.init = feedsRelu ? "he" : "glorot";
    }
  }
  return prog;
}
