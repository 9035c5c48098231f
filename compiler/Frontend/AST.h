//===- AST.h - syntax tree of the .nn model language ------------*- C++ -*-===//
//
// The parser's output: what was written, with locations, before any name or
// shape is checked. `a |> f(k=v)` is already desugared to `f(a, k=v)`.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_AST_H
#define NNC_FRONTEND_AST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnc {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// A call argument: positional when `name` is empty, else `name = value`.
struct Arg {
  std::string name;
  llvm::SMLoc nameLoc;
  ExprPtr value;
};

struct Expr {
  enum class Kind { Integer, Number, String, Name, Call, List };
  Kind kind;
  llvm::SMLoc loc;
  double number = 0;     // Integer, Number
  std::string text;      // String (unquoted), Name, Call (callee)
  std::vector<Arg> args; // Call
  std::vector<ExprPtr> elements; // List

  Expr(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
  bool isNumber() const { return kind == Kind::Integer || kind == Kind::Number; }
};

struct InputDecl {
  std::string name;
  llvm::SMLoc loc;
  std::string elementType;
  std::vector<int64_t> shape;
  llvm::SMLoc shapeLoc;
};

/// `[output] name = expr` inside a model.
struct Assign {
  std::string name;
  llvm::SMLoc loc;
  bool isOutput = false;
  ExprPtr value;
};

struct ModelDecl {
  std::string name;
  llvm::SMLoc loc;
  std::vector<InputDecl> inputs;
  std::vector<Assign> assigns;
};

/// `key = expr` inside a train block.
struct Setting {
  std::string key;
  llvm::SMLoc loc;
  ExprPtr value;
};

struct TrainDecl {
  std::string model;
  llvm::SMLoc loc;
  std::vector<Setting> settings;
};

struct ModuleAST {
  std::vector<ModelDecl> models;
  std::vector<TrainDecl> trains;
};

/// Prints the tree, one node per line, with line:col of each node.
void dump(const ModuleAST &module, const llvm::SourceMgr &sourceMgr,
          llvm::raw_ostream &os);

} // namespace nnc

#endif
