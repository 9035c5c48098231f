//===- Lexer.h - tokens of the .nn model language ---------------*- C++ -*-===//
//
// Splits a model file into tokens. Each token keeps its location in the
// llvm::SourceMgr buffer and whether it starts a line, which the parser uses
// to resynchronise after an error.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_LEXER_H
#define NNC_FRONTEND_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

namespace nnc {

enum class TokenKind {
  eof,
  error,
  identifier,
  integer,
  number,
  string,
  kw_model,
  kw_train,
  kw_input,
  kw_output,
  l_brace,
  r_brace,
  l_paren,
  r_paren,
  l_square,
  r_square,
  comma,
  colon,
  equal,
  pipe, // |>
  minus,
};

/// A printable name for a token kind, for "expected X" messages.
llvm::StringRef spell(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::eof;
  llvm::StringRef text;
  bool startsLine = false;

  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
  bool is(TokenKind k) const { return kind == k; }
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buffer(buffer), cur(buffer.begin()) {}

  /// Returns the next token; an `error` token carries the offending text.
  Token next();

private:
  Token make(TokenKind kind, const char *start);
  void skipSpaceAndComments();

  llvm::StringRef buffer;
  const char *cur;
  bool atLineStart = true;
};

} // namespace nnc

#endif
