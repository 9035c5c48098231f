//===- Lexer.cpp - tokens of the .nn model language -----------------------===//

#include "compiler/Frontend/Lexer.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ConvertUTF.h"

#include <cctype>

using namespace nnc;

llvm::StringRef nnc::spell(TokenKind kind) {
  switch (kind) {
  case TokenKind::eof:
    return "end of file";
  case TokenKind::error:
    return "invalid character";
  case TokenKind::identifier:
    return "identifier";
  case TokenKind::integer:
    return "integer";
  case TokenKind::number:
    return "number";
  case TokenKind::string:
    return "string";
  case TokenKind::kw_model:
    return "'model'";
  case TokenKind::kw_train:
    return "'train'";
  case TokenKind::kw_input:
    return "'input'";
  case TokenKind::kw_output:
    return "'output'";
  case TokenKind::l_brace:
    return "'{'";
  case TokenKind::r_brace:
    return "'}'";
  case TokenKind::l_paren:
    return "'('";
  case TokenKind::r_paren:
    return "')'";
  case TokenKind::l_square:
    return "'['";
  case TokenKind::r_square:
    return "']'";
  case TokenKind::comma:
    return "','";
  case TokenKind::colon:
    return "':'";
  case TokenKind::equal:
    return "'='";
  case TokenKind::pipe:
    return "'|>'";
  case TokenKind::minus:
    return "'-'";
  }
  return "token";
}

Lexer::Lexer(llvm::StringRef buffer) : buffer(buffer), cur(buffer.begin()) {
  if (buffer.starts_with("\xEF\xBB\xBF"))
    cur += 3;
}

/// The length of the UTF-8 sequence at `p` (1 to 4), or 0 if it is not one.
static unsigned utf8Length(const char *p, const char *end) {
  const auto *src = reinterpret_cast<const llvm::UTF8 *>(p);
  unsigned n = llvm::getNumBytesForUTF8(*src);
  if (n > unsigned(end - p) ||
      !llvm::isLegalUTF8String(&src,
                               reinterpret_cast<const llvm::UTF8 *>(p + n)))
    return 0;
  return n;
}

void Lexer::skipSpaceAndComments() {
  while (cur != buffer.end()) {
    if (*cur == '\n') {
      atLineStart = true;
      ++cur;
    } else if (std::isspace(static_cast<unsigned char>(*cur))) {
      ++cur;
    } else if (*cur == '/' && cur + 1 != buffer.end() && cur[1] == '/') {
      while (cur != buffer.end() && *cur != '\n')
        ++cur;
    } else {
      return;
    }
  }
}

Token Lexer::make(TokenKind kind, const char *start) {
  Token t;
  t.kind = kind;
  t.text = llvm::StringRef(start, cur - start);
  t.startsLine = atLineStart;
  atLineStart = false;
  return t;
}

Token Lexer::fail(LexError error, const char *start) {
  Token t = make(TokenKind::error, start);
  t.error = error;
  return t;
}

Token Lexer::next() {
  skipSpaceAndComments();
  const char *start = cur;
  if (cur == buffer.end())
    return make(TokenKind::eof, start);
  char c = *cur++;
  auto peek = [&] { return cur == buffer.end() ? '\0' : *cur; };

  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
      ++cur;
    llvm::StringRef word(start, cur - start);
    TokenKind kind = llvm::StringSwitch<TokenKind>(word)
                         .Case("model", TokenKind::kw_model)
                         .Case("train", TokenKind::kw_train)
                         .Case("input", TokenKind::kw_input)
                         .Case("output", TokenKind::kw_output)
                         .Default(TokenKind::identifier);
    return make(kind, start);
  }
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(peek())))) {
    bool real = c == '.';
    while (std::isdigit(static_cast<unsigned char>(peek())))
      ++cur;
    if (peek() == '.') {
      real = true;
      ++cur;
      while (std::isdigit(static_cast<unsigned char>(peek())))
        ++cur;
    }
    if (peek() == 'e' || peek() == 'E') {
      const char *save = cur++;
      if (peek() == '+' || peek() == '-')
        ++cur;
      if (std::isdigit(static_cast<unsigned char>(peek()))) {
        real = true;
        while (std::isdigit(static_cast<unsigned char>(peek())))
          ++cur;
      } else {
        cur = save;
      }
    }
    return make(real ? TokenKind::number : TokenKind::integer, start);
  }
  switch (c) {
  case '{':
    return make(TokenKind::l_brace, start);
  case '}':
    return make(TokenKind::r_brace, start);
  case '(':
    return make(TokenKind::l_paren, start);
  case ')':
    return make(TokenKind::r_paren, start);
  case '[':
    return make(TokenKind::l_square, start);
  case ']':
    return make(TokenKind::r_square, start);
  case ',':
    return make(TokenKind::comma, start);
  case ':':
    return make(TokenKind::colon, start);
  case '=':
    return make(TokenKind::equal, start);
  case '-':
    return make(TokenKind::minus, start);
  case '|':
    if (peek() == '>') {
      ++cur;
      return make(TokenKind::pipe, start);
    }
    break;
  case '"': {
    bool utf8 = true;
    while (cur != buffer.end() && *cur != '"' && *cur != '\n') {
      unsigned n = utf8Length(cur, buffer.end());
      utf8 &= n != 0;
      cur += n ? n : 1;
    }
    if (cur == buffer.end() || *cur != '"') {
      // The rest of the line is the string's; the token is its quote.
      Token t = fail(LexError::unterminatedString, start);
      t.text = t.text.take_front(1);
      return t;
    }
    ++cur;
    return utf8 ? make(TokenKind::string, start)
                : fail(LexError::invalidUtf8String, start);
  }
  default:
    break;
  }
  if (static_cast<unsigned char>(c) < 0x80)
    return fail(LexError::invalidChar, start);
  // One whole UTF-8 character, so that a message can quote it.
  unsigned n = utf8Length(start, buffer.end());
  if (n == 0)
    return fail(LexError::invalidUtf8, start);
  cur = start + n;
  return fail(LexError::nonAscii, start);
}
