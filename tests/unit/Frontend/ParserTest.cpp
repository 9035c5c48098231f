//===- ParserTest.cpp - the .nn parser and semantic analysis --------------===//

#include "compiler/Frontend/Parser.h"
#include "compiler/Driver/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace nnc;

namespace {

struct Parsed {
  mlir::FailureOr<Analyzed> result;
  std::vector<std::string> errors;
};

class ParserTest : public ::testing::Test {
protected:
  Parsed parse(llvm::StringRef src) {
    sm = std::make_unique<llvm::SourceMgr>();
    sm->AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(src, "t.nn"),
                           llvm::SMLoc());
    Parsed p{mlir::failure(), {}};
    mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
      if (d.getSeverity() == mlir::DiagnosticSeverity::Error) {
        std::string s;
        llvm::raw_string_ostream os(s);
        auto loc = llvm::cast<mlir::FileLineColLoc>(d.getLocation());
        os << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
           << loc.getColumn() << ": " << d;
        p.errors.push_back(s);
      }
      return mlir::success();
    });
    p.result = analyzeSource(*sm, ctx);
    return p;
  }

  mlir::MLIRContext ctx;
  std::unique_ptr<llvm::SourceMgr> sm;
};

TEST_F(ParserTest, PipeDesugarsToCalls) {
  Parsed p =
      parse("model m {\n input x: f32[8]\n output y = dense(x, 4) |> relu\n}");
  ASSERT_TRUE(mlir::succeeded(p.result));
  const Assign &a = p.result->ast.models[0].assigns[0];
  ASSERT_EQ(a.value->kind, Expr::Kind::Call);
  EXPECT_EQ(a.value->text, "relu");
  ASSERT_EQ(a.value->args.size(), 1u);
  EXPECT_EQ(a.value->args[0].value->text, "dense");
}

TEST_F(ParserTest, ShapesAndParameters) {
  Parsed p = parse(R"(
model m {
  input x: f32[1, 28, 28]
  h = dense(flatten(x), 300) |> tanh
  output y = dense(h, 10)
}
train m {
  loss = cross_entropy(softmax(y), label)
  optimizer = sgd(lr=0.05, momentum=0.9)
  batch = 64
})");
  ASSERT_TRUE(mlir::succeeded(p.result));
  const Program &prog = p.result->program;
  EXPECT_EQ(prog.parameterCount(), 784 * 300 + 300 + 300 * 10 + 10);
  std::vector<ParamInfo> params = prog.parameters();
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0].name, "h.weight");
  EXPECT_EQ(params[0].shape, (std::vector<int64_t>{784, 300}));
  EXPECT_EQ(params[0].init, "glorot");
  EXPECT_EQ(params[1].init, "zeros");
  EXPECT_EQ(prog.layers[prog.output].shape, (std::vector<int64_t>{10}));
  EXPECT_DOUBLE_EQ(prog.train.lr, 0.05);
  EXPECT_EQ(prog.train.batch, 64);
}

TEST_F(ParserTest, DefinitionsMayComeInAnyOrder) {
  Parsed p = parse(
      "model m {\n output y = dense(h, 2)\n h = relu(x)\n input x: f32[3]\n}");
  ASSERT_TRUE(mlir::succeeded(p.result))
      << (p.errors.empty() ? "" : p.errors[0]);
}

TEST_F(ParserTest, ReluGetsHeInit) {
  Parsed p = parse("model m {\n input x: f32[3]\n h = dense(x, 4) |> relu\n "
                   "output y = dense(h, 2)\n}");
  ASSERT_TRUE(mlir::succeeded(p.result));
  EXPECT_EQ(p.result->program.parameters()[0].init, "he");
  EXPECT_EQ(p.result->program.parameters()[2].init, "glorot");
}

TEST_F(ParserTest, ReportsEveryIndependentError) {
  Parsed p = parse(R"(model m {
  input x: f32[3]
  a = dens(x, 4)
  b = relu(zz)
  output y = dense(x, 0)
})");
  ASSERT_TRUE(mlir::failed(p.result));
  ASSERT_EQ(p.errors.size(), 3u);
  EXPECT_NE(
      p.errors[0].find("t.nn:3:7: unknown layer 'dens'; did you mean 'dense'?"),
      std::string::npos)
      << p.errors[0];
  EXPECT_NE(p.errors[1].find("use of undeclared value 'zz'"),
            std::string::npos);
  EXPECT_NE(p.errors[2].find("must be a positive integer"), std::string::npos);
}

TEST_F(ParserTest, SyntaxErrorsRecoverAtTheNextLine) {
  Parsed p =
      parse("model m {\n input x: f32[3\n h = relu(x))\n output y = relu(x\n}");
  ASSERT_TRUE(mlir::failed(p.result));
  EXPECT_EQ(p.errors.size(), 3u);
}

} // namespace
