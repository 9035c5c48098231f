//===- Parser.cpp - parser of the .nn model language ----------------------===//

#include "compiler/Frontend/Parser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/ScopeExit.h"

#include <cmath>
#include <deque>

using namespace nnc;
using mlir::failure;
using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::success;

Locator::Locator(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx) : sm(sm) {
  const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(sm.getMainFileID());
  file = mlir::StringAttr::get(ctx, buf->getBufferIdentifier());
}

mlir::Location Locator::operator()(llvm::SMLoc loc) const {
  if (!loc.isValid())
    return mlir::FileLineColLoc::get(file, 1, 1);
  auto [line, col] = sm.getLineAndColumn(loc);
  return mlir::FileLineColLoc::get(file, line, col);
}

namespace {

class Parser {
public:
  Parser(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx)
      : lexer(sm.getMemoryBuffer(sm.getMainFileID())->getBuffer()),
        locate(sm, ctx) {}

  ModuleAST parse() {
    ModuleAST module;
    while (!peek().is(TokenKind::eof)) {
      bool ok = true;
      if (peek().is(TokenKind::kw_model)) {
        ok = succeeded(parseModel(module));
      } else if (peek().is(TokenKind::kw_train)) {
        ok = succeeded(parseTrain(module));
      } else {
        error(peek(), "expected 'model' or 'train', found ")
            << describe(peek());
        take();
        ok = false;
      }
      if (!ok) {
        module.blocksComplete = false;
        recoverTopLevel();
      }
    }
    module.hadSyntaxError = hadError;
    return module;
  }

private:
  //===--- tokens ---------------------------------------------------------===//

  const Token &peek(unsigned ahead = 0) {
    while (buffered.size() <= ahead)
      buffered.push_back(lexer.next());
    return buffered[ahead];
  }
  Token take() {
    Token t = peek();
    buffered.pop_front();
    return t;
  }
  static std::string hex(unsigned char c) {
    static const char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
  }

  std::string describe(const Token &t) {
    if (t.is(TokenKind::eof))
      return "end of file";
    if (t.error == LexError::invalidUtf8)
      return "byte " + hex(t.text[0]);
    if (t.error == LexError::invalidChar &&
        !std::isprint((unsigned char)t.text[0]))
      return "character " + hex(t.text[0]);
    if (t.error == LexError::unterminatedString ||
        t.error == LexError::invalidUtf8String)
      return "a string";
    return ("'" + t.text + "'").str();
  }

  /// An error at `t`; a token the lexer refused is reported for what it is,
  /// and then the caller's text is dropped (it would describe the same thing).
  mlir::InFlightDiagnostic error(const Token &t, const llvm::Twine &msg) {
    hadError = true;
    mlir::Location at = locate(t.loc());
    if (t.error == LexError::none)
      return mlir::emitError(at, msg);
    if (t.error == LexError::invalidChar || t.error == LexError::nonAscii)
      return mlir::emitError(at, "invalid character ")
             << describe(t) << "; " << msg;
    if (t.error == LexError::invalidUtf8)
      mlir::emitError(at, "invalid ")
          << describe(t) << ": the file is not UTF-8 text";
    else if (t.error == LexError::unterminatedString)
      mlir::emitError(at, "unterminated string: it needs a closing '\"' on the "
                          "same line");
    else
      mlir::emitError(at, "the string holds bytes that are not UTF-8 text");
    mlir::InFlightDiagnostic dropped = mlir::emitError(at);
    dropped.abandon();
    return dropped;
  }

  LogicalResult expect(TokenKind kind, llvm::StringRef context) {
    if (peek().is(kind)) {
      take();
      return success();
    }
    error(peek(), "expected ")
        << spell(kind) << " " << context << ", found " << describe(peek());
    return failure();
  }

  /// After an error inside a block: skip to the next line (or the block end).
  /// A token that starts a line after the failed statement's first token
  /// begins the next statement, so the parser resumes there.
  void recoverStatement(const char *statementStart) {
    if (peek().is(TokenKind::r_brace) || peek().is(TokenKind::eof))
      return;
    if (peek().startsLine && peek().text.data() != statementStart)
      return;
    take(); // always progress
    while (!peek().is(TokenKind::eof) && !peek().startsLine &&
           !peek().is(TokenKind::r_brace))
      take();
  }

  /// After an error outside any statement: skip to the next declaration.
  void recoverTopLevel() {
    while (!peek().is(TokenKind::eof) &&
           !(peek().startsLine && (peek().is(TokenKind::kw_model) ||
                                   peek().is(TokenKind::kw_train))))
      take();
  }

  //===--- declarations ---------------------------------------------------===//

  /// Parses `{ stmt* }`, calling `stmt` for each statement and recovering
  /// from its errors at the next line.
  template <typename Fn>
  LogicalResult parseBlock(llvm::StringRef what, Fn stmt) {
    if (failed(expect(TokenKind::l_brace, ("to open " + what).str())))
      return failure();
    while (!peek().is(TokenKind::r_brace)) {
      if (peek().is(TokenKind::eof)) {
        error(peek(), "expected '}' to close ")
            << what << ", found end of file";
        return failure();
      }
      const char *start = peek().text.data();
      if (failed(stmt()))
        recoverStatement(start);
    }
    take();
    return success();
  }

  LogicalResult parseModel(ModuleAST &module) {
    Token kw = take();
    ModelDecl model;
    model.loc = kw.loc();
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected a model name after 'model', found ")
          << describe(peek());
      return failure();
    }
    model.name = take().text.str();
    LogicalResult r = parseBlock("the model", [&]() -> LogicalResult {
      BrokenName name;
      LogicalResult ok = peek().is(TokenKind::kw_input)
                             ? parseInput(model, name)
                             : parseAssign(model, name);
      noteBroken(ok, name, model.broken, model.hasBroken);
      return ok;
    });
    module.models.push_back(std::move(model));
    return r;
  }

  /// Records a statement that failed, under its name if it got that far.
  static void noteBroken(LogicalResult result, const BrokenName &name,
                         std::vector<BrokenName> &broken, bool &hasBroken) {
    if (succeeded(result))
      return;
    hasBroken = true;
    if (!name.name.empty())
      broken.push_back(name);
  }

  LogicalResult parseInput(ModelDecl &model, BrokenName &named) {
    take();
    InputDecl in;
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected an input name, found ") << describe(peek());
      return failure();
    }
    Token name = take();
    in.name = name.text.str();
    in.loc = name.loc();
    named = {in.name, in.loc};
    if (failed(expect(TokenKind::colon, "after the input name")))
      return failure();
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected an element type such as f32, found ")
          << describe(peek());
      return failure();
    }
    Token type = take();
    in.elementType = type.text.str();
    if (in.elementType != "f32") {
      error(type, "unsupported element type '")
          << in.elementType << "'; nnc supports f32";
      return failure();
    }
    in.shapeLoc = peek().loc();
    if (failed(expect(TokenKind::l_square, "to open the input shape")))
      return failure();
    do {
      if (!peek().is(TokenKind::integer)) {
        error(peek(), "expected a dimension size, found ") << describe(peek());
        return failure();
      }
      Token dim = take();
      int64_t size = 0;
      if (dim.text.getAsInteger(10, size) || size > kMaxElements) {
        error(dim, "dimension size ") << dim.text
                                      << " is too large: a tensor "
                                         "holds at most 2^40 elements";
        return failure();
      }
      if (size <= 0) {
        error(dim, "dimension sizes must be positive integers, found ")
            << dim.text;
        return failure();
      }
      in.shape.push_back(size);
    } while (peek().is(TokenKind::comma) && (take(), true));
    if (failed(expect(TokenKind::r_square, "to close the input shape")))
      return failure();
    model.inputs.push_back(std::move(in));
    return success();
  }

  LogicalResult parseAssign(ModelDecl &model, BrokenName &named) {
    Assign a;
    if (peek().is(TokenKind::kw_output)) {
      take();
      a.isOutput = true;
    }
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected 'input', 'output' or a name to define, found ")
          << describe(peek());
      return failure();
    }
    Token name = take();
    a.name = name.text.str();
    a.loc = name.loc();
    named = {a.name, a.loc};
    if (failed(expect(TokenKind::equal, ("after '" + a.name + "'").c_str())))
      return failure();
    FailureOr<ExprPtr> value = parseExpr();
    if (failed(value))
      return failure();
    a.value = std::move(*value);
    model.assigns.push_back(std::move(a));
    return success();
  }

  LogicalResult parseTrain(ModuleAST &module) {
    Token kw = take();
    TrainDecl train;
    train.loc = kw.loc();
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected the name of the model to train, found ")
          << describe(peek());
      return failure();
    }
    train.model = take().text.str();
    LogicalResult r = parseBlock("the train block", [&]() -> LogicalResult {
      if (!peek().is(TokenKind::identifier)) {
        error(peek(), "expected a setting name, found ") << describe(peek());
        return failure();
      }
      Token key = take();
      Setting s;
      s.key = key.text.str();
      s.loc = key.loc();
      LogicalResult ok =
          expect(TokenKind::equal, ("after '" + s.key + "'").c_str());
      FailureOr<ExprPtr> value = failure();
      if (succeeded(ok))
        value = parseExpr();
      noteBroken(succeeded(ok) && succeeded(value) ? success() : failure(),
                 {s.key, s.loc}, train.broken, train.hasBroken);
      if (failed(value))
        return failure();
      s.value = std::move(*value);
      train.settings.push_back(std::move(s));
      return success();
    });
    module.trains.push_back(std::move(train));
    return r;
  }

  //===--- expressions ----------------------------------------------------===//

  /// Enters one level of nesting; fails with an error past kMaxNesting.
  LogicalResult nest(const Token &at) {
    if (++depth <= kMaxNesting)
      return success();
    error(at, "expression nested too deeply: more than ")
        << kMaxNesting
        << " levels of calls, lists and '|>'; split it into "
           "named values";
    return failure();
  }

  /// Each `|>` nests the expression one level deeper, until its end.
  FailureOr<ExprPtr> parseExpr() {
    unsigned outer = depth;
    llvm::scope_exit restore([&] { depth = outer; });
    FailureOr<ExprPtr> lhs = parsePrimary();
    if (failed(lhs))
      return failure();
    ExprPtr e = std::move(*lhs);
    while (peek().is(TokenKind::pipe)) {
      if (failed(nest(peek())))
        return failure();
      take();
      if (!peek().is(TokenKind::identifier)) {
        error(peek(), "expected a layer name after '|>', found ")
            << describe(peek());
        return failure();
      }
      Token callee = take();
      auto call = std::make_unique<Expr>(Expr::Kind::Call, callee.loc());
      call->text = callee.text.str();
      call->args.push_back(Arg{"", {}, std::move(e)});
      if (peek().is(TokenKind::l_paren) && failed(parseArgs(*call)))
        return failure();
      e = std::move(call);
    }
    return e;
  }

  FailureOr<ExprPtr> parsePrimary() {
    const Token &t = peek();
    switch (t.kind) {
    case TokenKind::integer:
    case TokenKind::number:
      return parseNumber(false);
    case TokenKind::minus: {
      take();
      if (!peek().is(TokenKind::integer) && !peek().is(TokenKind::number)) {
        error(peek(), "expected a number after '-', found ")
            << describe(peek());
        return failure();
      }
      return parseNumber(true);
    }
    case TokenKind::string: {
      Token s = take();
      auto e = std::make_unique<Expr>(Expr::Kind::String, s.loc());
      e->text = s.text.drop_front().drop_back().str();
      return e;
    }
    case TokenKind::identifier: {
      Token name = take();
      bool isCall = peek().is(TokenKind::l_paren);
      unsigned outer = depth;
      llvm::scope_exit restore([&] { depth = outer; });
      if (isCall && failed(nest(name)))
        return failure();
      auto e = std::make_unique<Expr>(
          isCall ? Expr::Kind::Call : Expr::Kind::Name, name.loc());
      e->text = name.text.str();
      if (isCall && failed(parseArgs(*e)))
        return failure();
      return e;
    }
    case TokenKind::l_square: {
      Token open = take();
      unsigned outer = depth;
      llvm::scope_exit restore([&] { depth = outer; });
      if (failed(nest(open)))
        return failure();
      auto e = std::make_unique<Expr>(Expr::Kind::List, open.loc());
      if (!peek().is(TokenKind::r_square)) {
        do {
          FailureOr<ExprPtr> el = parseExpr();
          if (failed(el))
            return failure();
          e->elements.push_back(std::move(*el));
        } while (peek().is(TokenKind::comma) && (take(), true));
      }
      if (failed(expect(TokenKind::r_square, "to close the list")))
        return failure();
      return e;
    }
    default:
      error(t, "expected an expression, found ") << describe(t);
      return failure();
    }
  }

  /// An integer must fit int64_t exactly, a number must be a finite double:
  /// a value that does not is an error at its token, never a wrapped or
  /// infinite one.
  FailureOr<ExprPtr> parseNumber(bool negative) {
    Token t = take();
    bool isInt = t.is(TokenKind::integer);
    auto e = std::make_unique<Expr>(
        isInt ? Expr::Kind::Integer : Expr::Kind::Number, t.loc());
    e->text = ((negative ? "-" : "") + t.text).str();
    if (isInt) {
      uint64_t magnitude = 0;
      uint64_t limit = uint64_t(INT64_MAX) + (negative ? 1 : 0);
      if (t.text.getAsInteger(10, magnitude) || magnitude > limit) {
        error(t, "integer ") << e->text << " is out of range: integers lie in "
                             << "[-2^63, 2^63 - 1]";
        return failure();
      }
      e->integer = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
      e->number = double(e->integer);
      return e;
    }
    double v = 0;
    if (t.text.getAsDouble(v)) {
      error(t, "malformed number '") << t.text << "'";
      return failure();
    }
    if (!std::isfinite(v)) {
      error(t, "number ") << e->text << " is out of range of a double";
      return failure();
    }
    e->number = negative ? -v : v;
    return e;
  }

  /// `( [arg {, arg}] )` where arg is `name = expr` or `expr`.
  LogicalResult parseArgs(Expr &call) {
    take(); // (
    if (peek().is(TokenKind::r_paren)) {
      take();
      return success();
    }
    do {
      Arg a;
      if (peek().is(TokenKind::identifier) && peek(1).is(TokenKind::equal)) {
        Token name = take();
        take();
        a.name = name.text.str();
        a.nameLoc = name.loc();
      }
      FailureOr<ExprPtr> value = parseExpr();
      if (failed(value))
        return failure();
      a.value = std::move(*value);
      call.args.push_back(std::move(a));
    } while (peek().is(TokenKind::comma) && (take(), true));
    return expect(TokenKind::r_paren,
                  ("to close the call to '" + call.text + "'").c_str());
  }

  Lexer lexer;
  Locator locate;
  std::deque<Token> buffered;
  unsigned depth = 0; // calls, lists and pipes around the current token
  bool hadError = false;
};

} // namespace

ModuleAST nnc::parseModule(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx) {
  return Parser(sm, ctx).parse();
}
