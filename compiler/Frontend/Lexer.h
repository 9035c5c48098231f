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

/// Why an `error` token is one.
enum class LexError {
  none,
  invalidChar,        // an ASCII character the language does not use
  nonAscii,           // a UTF-8 character outside comments and strings
  invalidUtf8,        // a byte that is not UTF-8
  unterminatedString, // no closing '"' on the line
  invalidUtf8String,  // a string holding bytes that are not UTF-8
};

struct Token {
  TokenKind kind = TokenKind::eof;
  llvm::StringRef text;
  bool startsLine = false;
  LexError error = LexError::none;

  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
  bool is(TokenKind k) const { return kind == k; }
};

class Lexer {
public:
  /// A UTF-8 byte-order mark at the start of `buffer` is skipped.
  explicit Lexer(llvm::StringRef buffer);

  /// Returns the next token; an `error` token carries the offending text.
  Token next();

private:
  Token make(TokenKind kind, const char *start);
  Token fail(LexError error, const char *start);
  void skipSpaceAndComments();

  llvm::StringRef buffer;
  const char *cur;
  bool atLineStart = true;
};

} // namespace nnc

#endif
