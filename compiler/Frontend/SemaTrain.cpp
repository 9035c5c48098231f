//===- SemaTrain.cpp - the train block: data, loss, optimizer -------------===//
//
// Reads the settings of a train block into TrainSettings: the dataset and
// its options, the loss (whose prediction is an expression over the model's
// values), the optimizer, the schedule and the numbers. Every independent
// error is reported.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Sema.h"

#include "dialects/nn/IR/Optimizers.h"

using namespace nnc;
using namespace nnc::sema;

namespace {
const char *const kDatasets[] = {"mnist", "fashion_mnist", "csv"};
const char *const kSettings[] = {"data",     "augment", "loss",   "optimizer",
                                 "schedule", "batch",   "epochs", "seed"};

} // namespace

void Sema::analyzeTrain(const TrainDecl &t, const ModelDecl &model) {
  TrainSettings &s = prog.train;
  s.present = true;
  s.loc = t.loc;
  if (t.model != model.name) {
    mlir::InFlightDiagnostic diag = error(t.loc, "train block names model '")
                                    << t.model << "', but the model is '"
                                    << model.name << "'";
    diag.attachNote(locate(model.loc))
        << "model '" << model.name << "' is defined here";
  }
  llvm::StringMap<llvm::SMLoc> seen;
  bool haveLoss = false;
  for (const Setting &set : t.settings) {
    auto [it, inserted] = seen.try_emplace(set.key, set.loc);
    if (!inserted) {
      mlir::InFlightDiagnostic diag = error(set.loc, "setting '")
                                      << set.key << "' is given twice";
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
        error(v.loc, "'seed' must be a non-negative integer, found ")
            << describe(v);
      else
        s.seed = static_cast<uint64_t>(v.integer);
    } else {
      mlir::InFlightDiagnostic diag = error(set.loc, "unknown setting '")
                                      << set.key << "'";
      if (auto near = closest(set.key, kSettings))
        diag << "; did you mean '" << *near << "'?";
      else
        diag << "; settings are " << joinNames(kSettings);
    }
  }
  for (const BrokenName &b : t.broken)
    seen.try_emplace(b.name, b.loc);
  if (!haveLoss && !seen.count("loss") && !t.hasBroken)
    error(t.loc, "train block has no loss; add e.g. "
                 "'loss = cross_entropy(softmax(y), label)'");
  checkTargets();
}

void Sema::checkTargets() {
  TrainSettings &s = prog.train;
  if (dataFailed)
    return; // what the data holds is unknown
  if (s.lossTargetLoc.isValid() &&
      (s.lossTarget == "target") != s.csvRegression) {
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
    error(s.loc,
          "'augment = shift(N)' moves image pixels; a CSV table has none");
  if (s.csvRegression && s.loss == LossKind::CrossEntropy &&
      s.lossTargetLoc.isValid())
    error(s.lossLoc, "cross-entropy compares class probabilities; regression "
                     "targets need mse(y, target)");
}

std::vector<const Arg *> Sema::distinctArgs(const Expr &call, size_t first) {
  std::vector<const Arg *> args;
  llvm::StringMap<llvm::SMLoc> seen;
  for (size_t i = first; i < call.args.size(); ++i) {
    const Arg &a = call.args[i];
    if (!a.name.empty()) {
      auto [it, inserted] = seen.try_emplace(a.name, a.nameLoc);
      if (!inserted) {
        mlir::InFlightDiagnostic diag = error(a.nameLoc, "option '")
                                        << a.name << "' is given twice";
        diag.attachNote(locate(it->second)) << "it is first given here";
        continue;
      }
    }
    args.push_back(&a);
  }
  return args;
}

void Sema::analyzeData(const Expr &v) {
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
  for (const Arg *arg : distinctArgs(v)) {
    const Arg &a = *arg;
    const Expr &x = *a.value;
    if (a.name == "pad") {
      if (x.kind != Expr::Kind::Integer || x.number < 0)
        error(x.loc, "'pad' must be a non-negative integer, found ")
            << describe(x);
      else
        s.pad = x.integer;
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
          << v.text
          << "' takes the options pad=N (a background border in "
             "pixels), range=[background, ink] and standardize=true";
    }
  }
  if (s.range && s.standardize)
    error(standardizeLoc, "'standardize' and 'range' both set the pixel "
                          "scale; choose one")
            .attachNote(locate(rangeLoc))
        << "'range' is here";
}

void Sema::analyzeCsv(const Expr &v) {
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
  for (const Arg *arg : distinctArgs(v, /*first=*/1)) {
    const Arg &a = *arg;
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
        s.csvColumn = x.text;
      else if (x.kind == Expr::Kind::String ||
               (x.kind == Expr::Kind::Name &&
                (x.text == "first" || x.text == "last")))
        s.csvColumn = x.text;
      else
        error(x.loc, "'") << a.name
                          << "' is a column: first, last, an index "
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
      error(a.name.empty() ? x.loc : a.nameLoc,
            "'csv' takes the options test, "
            "label or target, header and standardize");
    }
  }
  if (s.csvTest.empty())
    error(v.loc, "'csv' needs a test table to evaluate on: ") << usage;
}

void Sema::analyzeAugment(const Expr &v) {
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
    prog.train.shift = n.integer;
}

std::optional<bool> Sema::boolean(const Expr &v, const std::string &what) {
  if (v.kind != Expr::Kind::Name || (v.text != "true" && v.text != "false")) {
    error(v.loc, what) << " must be true or false, found " << describe(v);
    return std::nullopt;
  }
  return v.text == "true";
}

std::optional<int64_t> Sema::positiveInt(const Expr &v, llvm::StringRef what) {
  if (v.kind != Expr::Kind::Integer || v.number <= 0) {
    error(v.loc, "'") << what << "' must be a positive integer, found "
                      << describe(v);
    return std::nullopt;
  }
  return v.integer;
}

bool Sema::analyzeLoss(const Expr &v) {
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
  if (v.args.size() != 2 || !v.args[0].name.empty() ||
      !v.args[1].name.empty()) {
    error(v.loc, "'") << v.text
                      << "' takes two arguments: the prediction and 'label'";
    return false;
  }
  const Expr &target = *v.args[1].value;
  if (target.kind != Expr::Kind::Name ||
      (target.text != "label" && target.text != "target")) {
    error(target.loc, "the second argument of '")
        << v.text
        << "' must be 'label' (classes) or 'target' (regression values), found "
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
  if (s.loss == LossKind::CrossEntropy && p.kind != LayerKind::Softmax) {
    // PyTorch's cross_entropy takes scores; here the log of a score below 0
    // would train to NaN without a word.
    const Expr &arg = *v.args[0].value;
    mlir::InFlightDiagnostic diag =
        error(arg.loc, "'cross_entropy' takes class probabilities, but ")
        << describe(arg) << " is the output of '" << p.op
        << "', not of a softmax";
    diag.attachNote(locate(arg.loc))
        << "write cross_entropy(softmax("
        << (arg.kind == Expr::Kind::Name ? arg.text : std::string("y"))
        << "), label)";
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

void Sema::analyzeSchedule(const Expr &v) {
  TrainSettings &s = prog.train;
  if ((v.kind != Expr::Kind::Name && v.kind != Expr::Kind::Call) ||
      (v.text != "constant" && v.text != "cosine" && v.text != "step")) {
    error(v.loc, "unknown learning-rate schedule ")
        << describe(v) << "; use constant, cosine or step(every=N, gamma=G)";
    return;
  }
  s.schedule = v.text;
  for (const Arg *arg : distinctArgs(v)) {
    const Arg &a = *arg;
    const Expr &x = *a.value;
    if (v.text != "step" || (a.name != "every" && a.name != "gamma")) {
      error(a.name.empty() ? x.loc : a.nameLoc, "'")
          << v.text << "' takes "
          << (v.text == "step" ? "the options every and gamma" : "no options");
      continue;
    }
    if (a.name == "every") {
      if (x.kind != Expr::Kind::Integer || x.number <= 0)
        error(x.loc, "'every' must be a positive integer, found ")
            << describe(x);
      else
        s.stepEvery = x.integer;
    } else if (!x.isNumber() || x.number <= 0 || x.number > 1) {
      error(x.loc, "'gamma' must be in (0, 1], found ") << describe(x);
    } else {
      s.stepGamma = x.number;
    }
  }
}

void Sema::analyzeOptimizer(const Expr &v) {
  TrainSettings &s = prog.train;
  const mlir::nn::OptimizerInfo *info =
      v.kind == Expr::Kind::Call || v.kind == Expr::Kind::Name
          ? mlir::nn::lookupOptimizer(v.text)
          : nullptr;
  if (!info) {
    std::string names;
    llvm::ArrayRef<mlir::nn::OptimizerInfo> all = mlir::nn::optimizers();
    for (size_t i = 0; i < all.size(); ++i)
      names += (i == 0                ? ""
                : i + 1 == all.size() ? " or "
                                      : ", ") +
               mlir::nn::stringifyOptimizerKind(all[i].kind).str();
    error(v.loc, "unknown optimizer ") << describe(v) << "; use " << names;
    return;
  }
  s.optimizer = v.text;
  std::vector<llvm::StringRef> options{"lr"};
  for (const mlir::nn::HyperParameter &h : info->hyper)
    options.push_back(h.name);
  using Range = mlir::nn::HyperParameter::Range;
  for (const Arg *arg : distinctArgs(v)) {
    const Arg &a = *arg;
    const Expr &x = *a.value;
    if (a.name.empty()) {
      error(x.loc, "options of '")
          << v.text << "' are named: " << v.text << "(lr=0.1)";
      continue;
    }
    const mlir::nn::HyperParameter *h = info->lookup(a.name);
    if (!h && a.name != "lr") {
      error(a.nameLoc, "'") << v.text << "' has no option '" << a.name
                            << "'; its options are " << joinNames(options);
      continue;
    }
    if (h && h->range == Range::Flag) {
      if (std::optional<bool> b = boolean(x, "'" + a.name + "'"))
        s.hyper[a.name] = *b ? 1.0 : 0.0;
      continue;
    }
    if (!x.isNumber()) {
      error(x.loc, "option '")
          << a.name << "' must be a number, found " << describe(x);
      continue;
    }
    double n = x.number;
    if (!h) {
      if (n <= 0)
        error(x.loc, "'lr' must be positive, found ") << num(n);
      s.lr = n;
      continue;
    }
    if (h->range == Range::Unit && (n < 0 || n >= 1))
      error(x.loc, "'") << a.name << "' must be in [0, 1), found " << num(n);
    else if (h->range == Range::Positive && n <= 0)
      error(x.loc, "'") << a.name << "' must be positive, found " << num(n);
    else if (h->range == Range::NonNegative && n < 0)
      error(x.loc, "'") << a.name << "' must be non-negative, found " << num(n);
    s.hyper[a.name] = n;
  }
  auto given = [&](const char *name) {
    auto it = s.hyper.find(name);
    return it == s.hyper.end() ? 0.0 : it->second;
  };
  if (given("nesterov") != 0 && given("momentum") == 0)
    error(v.loc, "Nesterov momentum needs momentum > 0");
}
