//===- Parser.h - parser of the .nn model language --------------*- C++ -*-===//
//
// Recursive descent over the grammar in docs/language.md. Errors are MLIR
// diagnostics at FileLineColLoc locations; after one, the parser skips to the
// next line and goes on, so independent errors are all reported.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_PARSER_H
#define NNC_FRONTEND_PARSER_H

#include "compiler/Frontend/AST.h"
#include "compiler/Frontend/Lexer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/SourceMgr.h"

namespace nnc {

/// Converts source locations to MLIR locations (file:line:col).
class Locator {
public:
  Locator(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx);
  /// file:line:col of `loc`; the start of the file for an invalid SMLoc.
  mlir::Location operator()(llvm::SMLoc loc) const;

private:
  const llvm::SourceMgr &sm;
  mlir::StringAttr file;
};

/// How deeply calls, lists and `|>` may nest in one expression (clang's
/// -fbracket-depth is 256 too): the parser and Sema recurse on it.
constexpr unsigned kMaxNesting = 256;

/// Parses the main buffer of `sm`, reporting every syntax error; what did
/// parse is returned either way (see ModuleAST::hadSyntaxError).
ModuleAST parseModule(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx);

} // namespace nnc

#endif
