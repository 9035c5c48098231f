//===- LexerTest.cpp - tokens of the .nn language -------------------------===//

#include "compiler/Frontend/Lexer.h"

#include <gtest/gtest.h>

using namespace nnc;

namespace {

std::vector<Token> lex(llvm::StringRef src) {
  Lexer lexer(src);
  std::vector<Token> out;
  for (Token t = lexer.next(); !t.is(TokenKind::eof); t = lexer.next())
    out.push_back(t);
  return out;
}

TEST(LexerTest, KeywordsNamesAndPunctuation) {
  auto t = lex("model m { input x: f32[1, 28] }");
  std::vector<TokenKind> kinds;
  for (const Token &tok : t)
    kinds.push_back(tok.kind);
  EXPECT_EQ(kinds,
            (std::vector<TokenKind>{
                TokenKind::kw_model, TokenKind::identifier, TokenKind::l_brace,
                TokenKind::kw_input, TokenKind::identifier, TokenKind::colon,
                TokenKind::identifier, TokenKind::l_square, TokenKind::integer,
                TokenKind::comma, TokenKind::integer, TokenKind::r_square,
                TokenKind::r_brace}));
  EXPECT_EQ(t[1].text, "m");
}

TEST(LexerTest, Numbers) {
  auto t = lex("3 0.05 1e-4 2.5E+3 .5");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_TRUE(t[0].is(TokenKind::integer));
  EXPECT_TRUE(t[1].is(TokenKind::number));
  EXPECT_TRUE(t[2].is(TokenKind::number));
  EXPECT_EQ(t[2].text, "1e-4");
  EXPECT_EQ(t[3].text, "2.5E+3");
  EXPECT_EQ(t[4].text, ".5");
}

TEST(LexerTest, PipeCommentsAndLineStarts) {
  auto t = lex("a = x |> relu // a comment |> here\n  b");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_TRUE(t[3].is(TokenKind::pipe));
  EXPECT_TRUE(t[0].startsLine);
  EXPECT_FALSE(t[1].startsLine);
  EXPECT_TRUE(t[5].startsLine);
  EXPECT_EQ(t[5].text, "b");
}

TEST(LexerTest, StringsAndErrors) {
  auto t = lex("\"abc\" $ \"open");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(t[0].is(TokenKind::string));
  EXPECT_EQ(t[0].text, "\"abc\"");
  EXPECT_TRUE(t[1].is(TokenKind::error));
  EXPECT_TRUE(t[2].is(TokenKind::error)); // unterminated string
}

} // namespace
