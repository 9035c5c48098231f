//===- Summary.cpp - the layer table of nnc summary -----------------------===//

#include "compiler/Driver/Compiler.h"

#include <fmt/format.h>

using namespace nnc;

namespace {
/// One row of the summary: a definition of the model, its layers merged.
struct SummaryRow {
  std::string cells[8];
};

bool isActivation(LayerKind k) {
  switch (k) {
  case LayerKind::LeakyRelu:
  case LayerKind::Elu:
  case LayerKind::Softmax:
#define ACTIVATION(name, Kind, Op) case LayerKind::Kind:
#include "compiler/Frontend/Activations.def"
    return true;
  default:
    return false;
  }
}

const char *typeName(LayerKind k) {
  switch (k) {
  case LayerKind::Input:
    return "input";
  case LayerKind::Dense:
    return "full";
  case LayerKind::RBF:
    return "rbf";
  case LayerKind::Conv2D:
    return "convolution";
  case LayerKind::AvgPool:
    return "avg pooling";
  case LayerKind::MaxPool:
    return "max pooling";
  case LayerKind::Subsample:
    return "subsampling";
  case LayerKind::Flatten:
    return "flatten";
  case LayerKind::Dropout:
    return "dropout";
  case LayerKind::Add:
    return "add";
  case LayerKind::Sub:
    return "sub";
  case LayerKind::Mul:
    return "mul";
  default:
    return "";
  }
}

std::string thousands(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > 0; i -= 3)
    s.insert(i, ",");
  return s;
}
} // namespace

std::string nnc::summaryTable(const Program &prog) {
  // Rows in the order their definitions complete; a definition's layers
  // (e.g. dense, then tanh) share one row.
  std::vector<std::string> order;
  llvm::StringMap<std::vector<const Layer *>> groups;
  for (const Layer &l : prog.layers) {
    std::vector<const Layer *> &g = groups[l.value];
    if (g.empty() && l.value != "loss")
      order.push_back(l.value);
    g.push_back(&l);
  }
  // Each definition ends at a distinct layer, so the order is total.
  llvm::sort(order, [&](const std::string &a, const std::string &b) {
    return groups[a].back() < groups[b].back();
  });
  std::string outputName = prog.layers[prog.output].value;
  std::vector<SummaryRow> rows;
  rows.push_back({{"layer", "type", "maps", "size", "kernel", "stride",
                   "activation", "parameters"}});
  for (const std::string &name : order) {
    const std::vector<const Layer *> &g = groups[name];
    std::vector<std::string> types, activations;
    const Layer *window = nullptr;
    int64_t params = 0;
    for (const Layer *l : g) {
      if (isActivation(l->kind))
        activations.push_back(l->op);
      else if (l->kind == LayerKind::RBF && !l->trainable)
        types.push_back("rbf (fixed)");
      else if (l->kind != LayerKind::Flatten || g.size() == 1)
        types.push_back(typeName(l->kind));
      if (l->kernel)
        window = l;
      for (const ParamInfo &p : l->params)
        params += p.trainableCount();
    }
    if (name == outputName && prog.train.present)
      for (const Layer *l : groups["loss"])
        if (isActivation(l->kind))
          activations.push_back(l->op + " (in loss)");
    const std::vector<int64_t> &shape = g.back()->shape;
    bool image = shape.size() == 3;
    SummaryRow r;
    r.cells[0] = name;
    r.cells[1] = types.empty() ? "-" : llvm::join(types, " + ");
    r.cells[2] = image ? std::to_string(shape[0]) : "-";
    r.cells[3] = image ? fmt::format("{}x{}", shape[1], shape[2])
                       : std::to_string(numElements(shape));
    r.cells[4] =
        window ? fmt::format("{}x{}", window->kernel, window->kernel) : "-";
    r.cells[5] = window ? std::to_string(window->stride) : "-";
    r.cells[6] = activations.empty() ? "-" : llvm::join(activations, ", ");
    r.cells[7] = params ? thousands(params) : "-";
    rows.push_back(r);
  }
  SummaryRow total{
      {"total", "", "", "", "", "", "", thousands(prog.parameterCount())}};
  size_t w[8] = {};
  for (const SummaryRow &r : rows)
    for (int c = 0; c < 8; ++c)
      w[c] = std::max(w[c], r.cells[c].size());
  w[7] = std::max(w[7], total.cells[7].size());
  // Text columns align left, numbers right.
  auto line = [&](const SummaryRow &r) {
    std::string s;
    for (int c = 0; c < 8; ++c) {
      bool right = c >= 2 && c != 6;
      s += fmt::format(right ? "{:>{}}" : "{:<{}}", r.cells[c], w[c]);
      s += c == 7 ? "\n" : "  ";
    }
    return s;
  };
  size_t width = 2 * 7;
  for (size_t x : w)
    width += x;
  std::string rule = std::string(width, '-') + "\n";
  std::string out = fmt::format("model {}\n", prog.name) + line(rows[0]) + rule;
  for (size_t i = 1; i < rows.size(); ++i)
    out += line(rows[i]);
  out += rule + line(total);
  return out;
}
