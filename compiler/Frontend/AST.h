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

/// The most elements one tensor may have, the batch included (2^40, 4 TiB
/// of f32): sizes in bytes and every index stay far inside int64_t.
constexpr int64_t kMaxElements = int64_t(1) << 40;

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
  double number = 0;     // Integer, Number (always finite)
  int64_t integer = 0;   // Integer: the exact value
  std::string text;      // String (unquoted), Name, Call (callee), Integer
                         // and Number (as written, with a leading '-')
  std::vector<Arg> args; // Call
  std::vector<ExprPtr> elements; // List

  Expr(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
  bool isNumber() const {
    return kind == Kind::Integer || kind == Kind::Number;
  }
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

/// A statement that did not parse but whose name did: Sema knows the name
/// exists and stays quiet about its uses.
struct BrokenName {
  std::string name;
  llvm::SMLoc loc;
};

struct ModelDecl {
  std::string name;
  llvm::SMLoc loc;
  std::vector<InputDecl> inputs;
  std::vector<Assign> assigns;
  /// Statements with syntax errors: their names, and whether there was any
  /// (then what the block lacks, or never uses, may be in them).
  std::vector<BrokenName> broken;
  bool hasBroken = false;
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
  std::vector<BrokenName> broken; // settings with syntax errors
  bool hasBroken = false;
};

struct ModuleAST {
  std::vector<ModelDecl> models;
  std::vector<TrainDecl> trains;
  /// Some statement had a syntax error (reported).
  bool hadSyntaxError = false;
  /// Every block's braces and name parsed: Sema can check the statements
  /// that did parse without inventing errors.
  bool blocksComplete = true;
};

/// Prints the tree, one node per line, with line:col of each node.
void dump(const ModuleAST &module, const llvm::SourceMgr &sourceMgr,
          llvm::raw_ostream &os);

} // namespace nnc

#endif
