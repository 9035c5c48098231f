//===- AST.cpp - printing the syntax tree (--emit=ast) --------------------===//

#include "compiler/Frontend/AST.h"

#include "llvm/Support/SourceMgr.h"

using namespace nnc;

namespace {
struct Printer {
  const llvm::SourceMgr &sm;
  llvm::raw_ostream &os;

  void at(llvm::SMLoc loc) {
    auto [line, col] = sm.getLineAndColumn(loc);
    os << " @" << line << ":" << col;
  }
  void indent(int depth) { os.indent(2 * depth); }

  void expr(const Expr &e, int depth) {
    indent(depth);
    switch (e.kind) {
    case Expr::Kind::Integer:
      os << "Integer " << e.integer;
      break;
    case Expr::Kind::Number:
      os << "Number " << e.number;
      break;
    case Expr::Kind::String:
      os << "String \"" << e.text << "\"";
      break;
    case Expr::Kind::Name:
      os << "Name " << e.text;
      break;
    case Expr::Kind::Call:
      os << "Call " << e.text;
      break;
    case Expr::Kind::List:
      os << "List";
      break;
    }
    at(e.loc);
    os << "\n";
    for (const Arg &a : e.args) {
      if (!a.name.empty()) {
        indent(depth + 1);
        os << "Option " << a.name;
        at(a.nameLoc);
        os << "\n";
        expr(*a.value, depth + 2);
      } else {
        expr(*a.value, depth + 1);
      }
    }
    for (const ExprPtr &el : e.elements)
      expr(*el, depth + 1);
  }
};
} // namespace

void nnc::dump(const ModuleAST &module, const llvm::SourceMgr &sm,
               llvm::raw_ostream &os) {
  Printer p{sm, os};
  for (const ModelDecl &m : module.models) {
    os << "Model " << m.name;
    p.at(m.loc);
    os << "\n";
    for (const InputDecl &in : m.inputs) {
      os << "  Input " << in.name << " : " << in.elementType << "[";
      llvm::interleaveComma(in.shape, os);
      os << "]";
      p.at(in.loc);
      os << "\n";
    }
    for (const Assign &a : m.assigns) {
      os << "  " << (a.isOutput ? "Output " : "Assign ") << a.name;
      p.at(a.loc);
      os << "\n";
      p.expr(*a.value, 2);
    }
  }
  for (const TrainDecl &t : module.trains) {
    os << "Train " << t.model;
    p.at(t.loc);
    os << "\n";
    for (const Setting &s : t.settings) {
      os << "  Setting " << s.key;
      p.at(s.loc);
      os << "\n";
      p.expr(*s.value, 2);
    }
  }
}
