//===- Parser.cpp - parser of the .nn model language ----------------------===//

#include "compiler/Frontend/Parser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <deque>

using namespace nnc;
using mlir::failure;
using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::success;

Locator::Locator(const llvm::SourceMgr &sm, mlir::MLIRContext *ctx)
    : sm(sm) {
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

  FailureOr<ModuleAST> parse() {
    ModuleAST module;
    while (!peek().is(TokenKind::eof)) {
      if (peek().is(TokenKind::kw_model)) {
        if (failed(parseModel(module)))
          recoverTopLevel();
      } else if (peek().is(TokenKind::kw_train)) {
        if (failed(parseTrain(module)))
          recoverTopLevel();
      } else {
        error(peek(), "expected 'model' or 'train', found ") << describe(peek());
        take();
        recoverTopLevel();
      }
    }
    if (hadError)
      return failure();
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
  std::string describe(const Token &t) {
    if (t.is(TokenKind::eof))
      return "end of file";
    return ("'" + t.text + "'").str();
  }

  mlir::InFlightDiagnostic error(const Token &t, const llvm::Twine &msg) {
    hadError = true;
    if (t.is(TokenKind::error))
      return mlir::emitError(locate(t.loc()), "invalid character '")
             << t.text.take_front(1) << "'; " << msg;
    return mlir::emitError(locate(t.loc()), msg);
  }

  LogicalResult expect(TokenKind kind, llvm::StringRef context) {
    if (peek().is(kind)) {
      take();
      return success();
    }
    error(peek(), "expected ") << spell(kind) << " " << context << ", found "
                               << describe(peek());
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
           !(peek().startsLine &&
             (peek().is(TokenKind::kw_model) || peek().is(TokenKind::kw_train))))
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
        error(peek(), "expected '}' to close ") << what << ", found end of file";
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
      if (peek().is(TokenKind::kw_input))
        return parseInput(model);
      return parseAssign(model);
    });
    module.models.push_back(std::move(model));
    return r;
  }

  LogicalResult parseInput(ModelDecl &model) {
    take();
    InputDecl in;
    if (!peek().is(TokenKind::identifier)) {
      error(peek(), "expected an input name, found ") << describe(peek());
      return failure();
    }
    Token name = take();
    in.name = name.text.str();
    in.loc = name.loc();
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
      error(type, "unsupported element type '") << in.elementType
                                                << "'; nnc supports f32";
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
      if (dim.text.getAsInteger(10, size) || size <= 0) {
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

  LogicalResult parseAssign(ModelDecl &model) {
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
      if (failed(expect(TokenKind::equal, ("after '" + s.key + "'").c_str())))
        return failure();
      FailureOr<ExprPtr> value = parseExpr();
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

  FailureOr<ExprPtr> parseExpr() {
    FailureOr<ExprPtr> lhs = parsePrimary();
    if (failed(lhs))
      return failure();
    ExprPtr e = std::move(*lhs);
    while (peek().is(TokenKind::pipe)) {
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
        error(peek(), "expected a number after '-', found ") << describe(peek());
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
      auto e = std::make_unique<Expr>(isCall ? Expr::Kind::Call : Expr::Kind::Name,
                                      name.loc());
      e->text = name.text.str();
      if (isCall && failed(parseArgs(*e)))
        return failure();
      return e;
    }
    case TokenKind::l_square: {
      Token open = take();
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

  FailureOr<ExprPtr> parseNumber(bool negative) {
    Token t = take();
    bool isInt = t.is(TokenKind::integer);
    auto e = std::make_unique<Expr>(isInt ? Expr::Kind::Integer : Expr::Kind::Number,
                                    t.loc());
    double v = 0;
    if (t.text.getAsDouble(v)) {
      error(t, "malformed number '") << t.text << "'";
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
    return expect(TokenKind::r_paren, ("to close the call to '" + call.text + "'").c_str());
  }

  Lexer lexer;
  Locator locate;
  std::deque<Token> buffered;
  bool hadError = false;
};

} // namespace

FailureOr<ModuleAST> nnc::parseModule(const llvm::SourceMgr &sm,
                                      mlir::MLIRContext *ctx) {
  return Parser(sm, ctx).parse();
}
