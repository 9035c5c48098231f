//===- SemaModel.cpp - names, layers and parameters of a model ------------===//
//
// Resolves the values of a model in dependency order (definitions may come in
// any order; a cycle is an error), checks every layer call against the layer
// table (SemaLayers.cpp, which also computes each layer's shape) and names
// the parameters. Errors are collected: each is reported once, and values
// that depend on a failed one are skipped quietly instead of cascading.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Sema.h"

#include "llvm/ADT/SmallVectorExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace nnc;
using namespace nnc::sema;
using mlir::failure;
int64_t nnc::numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<int64_t> nnc::checkedElements(llvm::ArrayRef<int64_t> shape,
                                            int64_t factor) {
  int64_t n = factor;
  for (int64_t d : shape) {
    if (d < 0 || d > kMaxElements)
      return std::nullopt;
    if (d != 0 && n > kMaxElements / d)
      return std::nullopt;
    n *= d;
  }
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

double Program::multiplyAdds() const {
  // In double: a layer's product of sizes may pass int64_t's range.
  double macs = 0;
  for (const Layer &l : layers) {
    if (l.kind == LayerKind::Dense || l.kind == LayerKind::RBF)
      macs += double(numElements(layers[l.inputs[0]].shape)) * double(l.units);
    else if (l.kind == LayerKind::Conv2D)
      macs += double(l.shape[1]) * double(l.shape[2]) * double(l.units) *
              double(l.kernel) * double(l.kernel) *
              double(layers[l.inputs[0]].shape[0]);
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
const char *const kInits[] = {"glorot", "he", "lecun", "zeros"};
} // namespace

/// A number as it would be written: 0.1, 1.5, 1e-05.
std::string sema::num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

FailureOr<Program> Sema::run(const ModuleAST &module) {
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
  if (prog.train.present)
    for (const Layer &l : prog.layers)
      if (!checkedElements(l.shape, prog.train.batch)) {
        error(l.loc, "at batch ")
            << prog.train.batch << ", '" << l.op << "' makes a tensor of more "
            << "than 2^40 elements";
        break;
      }
  if (hadError)
    return failure();
  return std::move(prog);
}

mlir::InFlightDiagnostic Sema::error(llvm::SMLoc loc, const llvm::Twine &msg) {
  hadError = true;
  return mlir::emitError(locate(loc), msg);
}

void Sema::analyzeModel(const ModelDecl &model) {
  // Collect every definition first: uses may precede definitions.
  for (const InputDecl &in : model.inputs) {
    if (!declare(in.name, in.loc))
      continue;
    if (prog.input >= 0) {
      error(in.loc, "models with more than one input are not supported yet");
      defs[in.name].state = State::Failed;
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
  // A statement with a syntax error defines its name, as a failed value: its
  // uses are not errors too.
  for (const BrokenName &b : model.broken)
    if (declare(b.name, b.loc))
      defs[b.name].state = State::Failed;
  if (model.inputs.empty() && !model.hasBroken)
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
    if (defs[name].state == State::Unvisited)
      resolveAll(name);
  if (!output) {
    if ((!model.assigns.empty() || !model.inputs.empty()) && !model.hasBroken)
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
    if (!d.used && d.state == State::Done && !model.hasBroken)
      mlir::emitWarning(locate(d.loc), "value '") << name << "' is never used";
  }
}

bool Sema::declare(const std::string &name, llvm::SMLoc loc) {
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

int Sema::addLayer(Layer l) {
  // Sizes past kMaxElements are refused here, before anything multiplies
  // them; the batch is checked with the train block.
  bool fits = checkedElements(l.shape).has_value();
  for (const ParamInfo &p : l.params)
    fits = fits && checkedElements(p.shape);
  if (!fits) {
    error(l.loc, "'") << l.op << "' makes a tensor of more than 2^40 elements";
    return -1;
  }
  prog.layers.push_back(std::move(l));
  return static_cast<int>(prog.layers.size()) - 1;
}

int Sema::resolve(const std::string &name) {
  Def &d = defs[name];
  // An input has no definition to resolve (a refused second input stays
  // unresolved: its uses are quiet).
  if (d.state == State::Unvisited && d.assign)
    resolveAll(name);
  return d.state == State::Done ? d.layer : -1;
}

/// The names an expression uses as tensor inputs of its layer calls, which
/// must be resolved before it (an option such as `init=he` names no value).
static void tensorNames(const Expr &e, std::vector<std::string> &names) {
  if (e.kind == Expr::Kind::Name) {
    names.push_back(e.text);
    return;
  }
  if (e.kind != Expr::Kind::Call)
    return;
  const LayerSpec *spec = nullptr;
  for (const LayerSpec &s : layerTable())
    if (e.text == s.name)
      spec = &s;
  unsigned positional = 0;
  for (const Arg &a : e.args)
    if (a.name.empty() && spec && positional++ < spec->tensorInputs)
      tensorNames(*a.value, names);
}

void Sema::resolveAll(const std::string &root) {
  // Depth first with an explicit stack, so that a chain of any length,
  // written in any order, resolves without recursion: each definition is
  // analyzed after every value it uses.
  struct Frame {
    std::string name;
    std::vector<std::string> uses;
    size_t next = 0;
  };
  std::vector<Frame> work;
  auto push = [&](const std::string &name) {
    Def &d = defs[name];
    d.state = State::Visiting;
    Frame f{name, {}, 0};
    tensorNames(*d.assign->value, f.uses);
    work.push_back(std::move(f));
  };
  push(root);
  while (!work.empty()) {
    Frame &top = work.back();
    if (top.next < top.uses.size()) {
      std::string use = top.uses[top.next++];
      auto it = defs.find(use);
      if (it == defs.end() || !it->second.assign)
        continue; // the input, or undeclared: expr() reports it
      if (it->second.state == State::Unvisited)
        push(use);
      else if (it->second.state == State::Visiting)
        reportCycle(use, llvm::map_to_vector(work, [](const Frame &f) {
                      return llvm::StringRef(f.name);
                    }));
      continue;
    }
    std::string name = std::move(top.name);
    work.pop_back();
    Def &d = defs[name];
    if (d.state != State::Visiting)
      continue; // failed in a cycle
    paramLayers = 0;
    int layer = expr(*d.assign->value, name, /*isRoot=*/true);
    d.state = layer >= 0 ? State::Done : State::Failed;
    d.layer = layer;
  }
}

void Sema::reportCycle(llvm::StringRef name,
                       llvm::ArrayRef<llvm::StringRef> path) {
  // Reported at the first definition on the path within the cycle; a long
  // cycle is shortened in the middle.
  auto start = llvm::find(path, name);
  llvm::ArrayRef<llvm::StringRef> cycle(&*start, path.end());
  mlir::InFlightDiagnostic diag = error(defs[name].loc, "cycle in the model: '")
                                  << name << "' depends on itself through ";
  constexpr size_t kShown = 8;
  for (size_t i = 0; i < cycle.size(); ++i) {
    if (cycle.size() > kShown && i == kShown / 2) {
      diag << "... (" << cycle.size() - kShown << " more) -> ";
      i = cycle.size() - kShown / 2;
    }
    diag << cycle[i] << " -> ";
  }
  diag << name;
  for (size_t i = 1; i < cycle.size() && i < kShown; ++i)
    diag.attachNote(locate(defs[cycle[i]].loc))
        << "'" << cycle[i] << "' is defined here";
  for (llvm::StringRef n : cycle)
    defs[n].state = State::Failed;
}

int Sema::expr(const Expr &e, const std::string &owner, bool isRoot) {
  switch (e.kind) {
  case Expr::Kind::Name: {
    auto it = defs.find(e.text);
    if (it == defs.end()) {
      mlir::InFlightDiagnostic diag = error(e.loc, "use of undeclared value '")
                                      << e.text << "'";
      // Each search compares with every name: a file of thousands of bad
      // uses gets suggestions for the first ones only (errors past the
      // limit are not shown anyway), so that it is checked in linear time.
      if (++suggestionsMade > kMaxSuggestions)
        return -1;
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

std::string Sema::describe(const Expr &e) {
  switch (e.kind) {
  case Expr::Kind::Integer:
  case Expr::Kind::Number:
    return e.text; // as written: 16.0 is not 16
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

const LayerSpec *Sema::findLayer(const Expr &call) {
  for (const LayerSpec &s : layerTable())
    if (call.text == s.name)
      return &s;
  mlir::InFlightDiagnostic diag = error(call.loc, "unknown layer '")
                                  << call.text << "'";
  llvm::SmallVector<llvm::StringRef> names;
  for (const LayerSpec &s : layerTable())
    names.push_back(s.name);
  if (auto near = closest(call.text, names))
    diag << "; did you mean '" << *near << "'?";
  return nullptr;
}

int Sema::call(const Expr &e, const std::string &owner, bool isRoot) {
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
        mlir::InFlightDiagnostic diag = error(a.nameLoc, "'")
                                        << spec->name << "' has no option '"
                                        << a.name << "'";
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
    l.name =
        paramLayers++ == 0 ? owner : owner + "_" + std::to_string(paramLayers);
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
        error(v.loc, "option '")
            << opt->name << "' of '" << spec->name << "' must be a "
            << (positive ? "positive" : "non-negative") << " integer, found "
            << describe(v);
        ok = false;
        continue;
      }
      if (v.integer > kMaxElements) {
        error(v.loc, "option '")
            << opt->name << "' of '" << spec->name
            << "' is too large: at most 2^40, found " << v.text;
        ok = false;
        continue;
      }
      int64_t n = v.integer;
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
      if (v.kind != Expr::Kind::Name ||
          (v.text != "digits" && v.text != "random")) {
        error(v.loc, "unknown prototypes ")
            << describe(v) << "; use digits (LeNet-5's 7x12 bitmaps) or random";
        ok = false;
      } else {
        l.prototypes = v.text;
      }
    } else if (opt->type == OptType::Bool) {
      std::optional<bool> b = boolean(
          v, ("option '" + llvm::Twine(opt->name) + "' of '" + spec->name + "'")
                 .str());
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
        error(v.loc, "unknown initializer ")
            << describe(v) << "; use one of " << joinNames(kInits);
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
    l.params.push_back({l.name + ".prototypes",
                        {l.units, in},
                        l.prototypes == "digits" ? "digits" : "signs"});
  } else if (l.kind == LayerKind::Conv2D) {
    // One row per (kh, kw, input channel), one column per filter: the
    // weight of the matmul that the convolution becomes.
    int64_t channels = prog.layers[l.inputs[0]].shape[0];
    if (!checkTable(l, channels))
      return -1;
    std::optional<int64_t> rows =
        checkedElements({l.kernel, l.kernel, channels});
    if (!rows) {
      error(l.loc, "'conv2d' makes a tensor of more than 2^40 elements");
      return -1;
    }
    ParamInfo weight{l.name + ".weight", {*rows, l.units}, init};
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

FailureOr<Program> nnc::analyze(const ModuleAST &module,
                                const Locator &locate) {
  FailureOr<Program> prog = Sema(locate).run(module);
  if (failed(prog))
    return failure();
  // Default initializers follow the activation a layer feeds: He before a
  // relu, Glorot otherwise.
  std::vector<bool> feedsRelu(prog->layers.size(), false);
  for (const Layer &user : prog->layers)
    if (user.kind == LayerKind::Relu)
      for (int in : user.inputs)
        feedsRelu[in] = true;
  for (size_t i = 0; i < prog->layers.size(); ++i)
    for (ParamInfo &p : prog->layers[i].params)
      if (p.init.empty())
        p.init = feedsRelu[i] ? "he" : "glorot";
  return prog;
}
