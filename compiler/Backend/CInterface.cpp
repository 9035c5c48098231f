//===- CInterface.cpp - the C ABI of an ahead-of-time compiled model ------===//

#include "compiler/Backend/CInterface.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/IntrinsicsX86.h"
#include "llvm/TargetParser/Triple.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace nnc;

/// A C identifier from a tensor name: c1.weight -> c1_weight.
static std::string identifier(llvm::StringRef name) {
  std::string s;
  for (char c : name)
    s += llvm::isAlnum(c) ? c : '_';
  return s;
}

static bool isEmbedded(const nnrt::ArgSpec &a, const CInterface &iface) {
  return iface.weights && !iface.trainable && a.role == nnrt::Role::Param &&
         !a.result;
}

std::vector<CParam> nnc::cParameters(const FunctionSignature &fn,
                                     const CInterface &iface) {
  std::vector<CParam> params;
  for (size_t i = 0; i < fn.args.size(); ++i) {
    const nnrt::ArgSpec &a = fn.args[i];
    if (isEmbedded(a, iface))
      continue;
    bool grouped = a.role == nnrt::Role::Param || a.role == nnrt::Role::State;
    if (grouped && !params.empty() && params.back().args.size() &&
        fn.args[params.back().args.back()].role == a.role &&
        fn.args[params.back().args.back()].result == a.result &&
        params.back().args.back() + 1 == i) {
      params.back().args.push_back(i);
      params.back().floats += a.floats();
      continue;
    }
    CParam p;
    p.output = a.result;
    p.args = {i};
    p.floats = a.floats();
    if (a.role == nnrt::Role::LearningRate || a.role == nnrt::Role::Step)
      p.kind = CParam::Kind::Scalar;
    if (a.role == nnrt::Role::Param)
      p.name = a.result ? "new_params" : "params";
    else if (a.role == nnrt::Role::State)
      p.name = a.result ? "new_state" : "state";
    else if (a.role == nnrt::Role::Noise)
      p.name = identifier(a.name);
    else
      p.name = nnrt::roleName(a.role);
    params.push_back(p);
  }
  CParam ws;
  ws.kind = CParam::Kind::Workspace;
  ws.name = "workspace";
  params.push_back(ws);
  return params;
}

/// The memref descriptor type of a rank: {ptr, ptr, i64, [r x i64], [r x i64]}.
static llvm::StructType *descriptorType(llvm::LLVMContext &ctx, unsigned rank) {
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  if (rank == 0)
    return llvm::StructType::get(ctx, {ptr, ptr, i64});
  auto *array = llvm::ArrayType::get(i64, rank);
  return llvm::StructType::get(ctx, {ptr, ptr, i64, array, array});
}

/// Fills a descriptor for a dense row-major buffer at `base`.
static llvm::Value *describe(llvm::IRBuilder<> &b, llvm::Value *base,
                             llvm::ArrayRef<int64_t> shape) {
  llvm::LLVMContext &ctx = b.getContext();
  llvm::StructType *type = descriptorType(ctx, unsigned(shape.size()));
  llvm::Value *desc = b.CreateAlloca(type);
  b.CreateStore(base, b.CreateStructGEP(type, desc, 0));
  b.CreateStore(base, b.CreateStructGEP(type, desc, 1));
  b.CreateStore(b.getInt64(0), b.CreateStructGEP(type, desc, 2));
  int64_t stride = 1;
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    auto field = [&](unsigned f) {
      return b.CreateGEP(
          type, desc, {b.getInt32(0), b.getInt32(f), b.getInt32(unsigned(d))});
    };
    b.CreateStore(b.getInt64(uint64_t(shape[d])), field(3));
    b.CreateStore(b.getInt64(uint64_t(stride)), field(4));
    stride *= shape[d];
  }
  return desc;
}

void nnc::addCInterface(llvm::Module &module, const CInterface &iface) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *f32 = llvm::Type::getFloatTy(ctx);
  llvm::StringSet<> exported;

  llvm::GlobalVariable *weights = nullptr;
  if (iface.weights) {
    auto *data = llvm::ConstantDataArray::get(
        ctx, llvm::ArrayRef<float>(*iface.weights));
    std::string name =
        iface.prefix + (iface.trainable ? "_initial_params" : "_weights");
    weights = new llvm::GlobalVariable(
        module, data->getType(), /*isConstant=*/true,
        iface.trainable ? llvm::GlobalValue::ExternalLinkage
                        : llvm::GlobalValue::InternalLinkage,
        data, name);
    weights->setAlignment(llvm::Align(64));
    if (iface.trainable)
      exported.insert(name);
  }

  bool mxcsr = iface.denormals == mlir::nn::DenormalFlush::X86Mxcsr;
  for (const FunctionSignature &fn : iface.functions) {
    llvm::Function *inner = module.getFunction("_mlir_ciface_" + fn.name);
    assert(inner && "loadModel requires llvm.emit_c_interface");
    std::vector<CParam> params = cParameters(fn, iface);
    llvm::SmallVector<llvm::Type *> types;
    for (const CParam &p : params)
      types.push_back(p.kind == CParam::Kind::Scalar
                          ? static_cast<llvm::Type *>(f32)
                          : ptr);
    std::string name = iface.prefix + "_" + fn.name;
    auto *entry = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), types, false),
        llvm::GlobalValue::ExternalLinkage, name, module);
    exported.insert(name);
    for (size_t i = 0; i < params.size(); ++i)
      entry->getArg(unsigned(i))->setName(params[i].name);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));

    // Where each tensor argument lives: an offset into its C array, a
    // scalar's stack slot, or the compiled-in weights.
    std::vector<llvm::Value *> base(fn.args.size(), nullptr);
    for (size_t k = 0; k < params.size(); ++k) {
      const CParam &p = params[k];
      llvm::Value *arg = entry->getArg(unsigned(k));
      if (p.kind == CParam::Kind::Scalar) {
        llvm::Value *slot = b.CreateAlloca(f32);
        b.CreateStore(arg, slot);
        base[p.args[0]] = slot;
        continue;
      }
      int64_t offset = 0;
      for (size_t i : p.args) {
        base[i] = b.CreateConstGEP1_64(f32, arg, uint64_t(offset));
        offset += fn.args[i].floats();
      }
    }
    int64_t offset = 0;
    for (size_t i = 0; i < fn.args.size(); ++i)
      if (isEmbedded(fn.args[i], iface)) {
        base[i] = b.CreateConstGEP1_64(f32, weights, uint64_t(offset));
        offset += fn.args[i].floats();
      }

    llvm::SmallVector<llvm::Value *> descriptors;
    for (size_t i = 0; i < fn.args.size(); ++i)
      descriptors.push_back(describe(b, base[i], fn.args[i].shape));
    if (fn.workspaceBytes > 0)
      descriptors.push_back(describe(
          b, entry->getArg(unsigned(params.size() - 1)), {fn.workspaceBytes}));

    llvm::Value *savedCsr = nullptr;
    if (mxcsr) {
      // MXCSR's flush-to-zero and denormals-are-zero bits, for the call.
      savedCsr = b.CreateAlloca(b.getInt32Ty());
      b.CreateIntrinsic(llvm::Intrinsic::x86_sse_stmxcsr, {}, {savedCsr});
      llvm::Value *flushed = b.CreateAlloca(b.getInt32Ty());
      b.CreateStore(b.CreateOr(b.CreateLoad(b.getInt32Ty(), savedCsr), 0x8040),
                    flushed);
      b.CreateIntrinsic(llvm::Intrinsic::x86_sse_ldmxcsr, {}, {flushed});
    }
    b.CreateCall(inner, descriptors);
    if (mxcsr)
      b.CreateIntrinsic(llvm::Intrinsic::x86_sse_ldmxcsr, {}, {savedCsr});
    b.CreateRetVoid();
  }

  // Only the entry points are visible: two models linked into one program
  // must not clash on `predict` or their workspaces.
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && !exported.contains(f.getName()))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : module.globals())
    if (!g.isDeclaration() && !exported.contains(g.getName()))
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
}

static std::string upper(llvm::StringRef s) { return identifier(s.upper()); }

static std::string dims(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "[1]";
  std::string s;
  for (int64_t d : shape)
    s += fmt::format("[{}]", d);
  return s;
}

/// What a C parameter holds, for the header.
static std::string describeParam(const CParam &p, const FunctionSignature &fn,
                                 const std::string &macro,
                                 const HeaderFacts &facts) {
  const nnrt::ArgSpec &a = fn.args[p.args.empty() ? 0 : p.args[0]];
  switch (p.kind) {
  case CParam::Kind::Workspace:
    return fn.workspaceBytes > 0
               ? fmt::format("{}_{}_WORKSPACE_BYTES bytes of scratch memory, "
                             "64-byte aligned",
                             macro, upper(fn.name))
               : "unused (this function needs no scratch memory); may be NULL";
  case CParam::Kind::Scalar:
    return a.role == nnrt::Role::LearningRate
               ? "the learning rate for this step (a schedule is the caller's)"
               : "the step's number, counting from 1 (optimizers with bias "
                 "correction use it)";
  case CParam::Kind::Floats:
    break;
  }
  if (a.role == nnrt::Role::Param)
    return p.output
               ? fmt::format(
                     "float[{}_PARAM_FLOATS]: the updated parameters (must not "
                     "overlap params)",
                     macro)
               : fmt::format("float[{}_PARAM_FLOATS]: the parameters", macro);
  if (a.role == nnrt::Role::State)
    return p.output ? fmt::format(
                          "float[{}_STATE_FLOATS]: the updated optimizer state "
                          "(must not overlap state)",
                          macro)
                    : fmt::format(
                          "float[{}_STATE_FLOATS]: the optimizer state (zeros "
                          "before the first step)",
                          macro);
  if (a.role == nnrt::Role::Input)
    return fmt::format("float{}: the batch, {}", dims(a.shape),
                       facts.inputLayout);
  if (a.role == nnrt::Role::Target)
    return facts.classes > 0
               ? fmt::format("float{}: one-hot labels (1 at the true class, 0 "
                             "elsewhere)",
                             dims(a.shape))
               : fmt::format("float{}: the target values", dims(a.shape));
  if (a.role == nnrt::Role::Noise)
    return fmt::format(
        "float{}: uniform random numbers in [0, 1) for the dropout layer "
        "'{}'",
        dims(a.shape), llvm::StringRef(a.name).drop_back(6));
  if (a.role == nnrt::Role::Loss)
    return "float[1]: the batch's mean loss";
  if (facts.outputIsDistance)
    return fmt::format(
        "float{}: each sample's distance to every class's prototype "
        "(the nearest is the prediction)",
        dims(a.shape));
  if (facts.classes > 0)
    return fmt::format("float{}: the output layer (scores; the largest is the "
                       "prediction)",
                       dims(a.shape));
  return fmt::format("float{}: the output layer", dims(a.shape));
}

static std::string functionDoc(const FunctionSignature &fn) {
  if (fn.name == "predict")
    return "The network's output for a batch of inputs.";
  if (fn.name == "train_step")
    return "One training step on a batch: forward, backward and the "
           "optimizer's\n"
           " * update. Reads params and state, writes new_params and new_state "
           "(swap\n"
           " * the pointers between steps), the batch's mean loss and the "
           "output layer\n"
           " * as it was before the update.";
  return "";
}

std::string nnc::cHeader(const CInterface &iface, const HeaderFacts &facts) {
  std::string macro = upper(iface.prefix);
  std::string h;
  auto line = [&](const std::string &s) { h += s + "\n"; };
  line(fmt::format("/* {}: the C interface of the model '{}'.", facts.header,
                   iface.prefix));
  line(" *");
  line(fmt::format(" * Generated by nnc {} from {} for {}.", facts.version,
                   facts.source, facts.target));
  line(" * Do not edit; recompile the model instead. The object file needs "
       "only libc");
  line(" * and libm at run time.");
  line(" *");
  line(fmt::format(" * Every function works on a whole batch of {}_BATCH "
                   "samples. Tensors are",
                   macro));
  line(" * dense row-major float arrays. The functions allocate nothing: each "
       "takes a");
  line(" * workspace of the size stated below, which calls running at the same "
       "time");
  if (iface.denormals == mlir::nn::DenormalFlush::X86Mxcsr) {
    line(" * must not share. On x86 they flush denormal floats to zero while "
         "they run");
    line(" * and restore the caller's setting on return.");
  } else {
    line(" * must not share.");
  }
  line(" */");
  line(fmt::format("#ifndef NNC_MODEL_{}_H", macro));
  line(fmt::format("#define NNC_MODEL_{}_H", macro));
  line("");
  line("#ifdef __cplusplus");
  line("extern \"C\" {");
  line("#endif");
  line("");

  // Shapes and sizes, from the first function that has each role.
  auto find = [&](nnrt::Role role, bool result) -> const nnrt::ArgSpec * {
    for (const FunctionSignature &fn : iface.functions)
      for (const nnrt::ArgSpec &a : fn.args)
        if (a.role == role && a.result == result)
          return &a;
    return nullptr;
  };
  const nnrt::ArgSpec *input = find(nnrt::Role::Input, false);
  const nnrt::ArgSpec *output = find(nnrt::Role::Output, true);
  line(fmt::format("#define {}_BATCH {}", macro, input ? input->shape[0] : 0));
  if (input)
    line(fmt::format("#define {}_INPUT_FLOATS {} /* float{}: {} */", macro,
                     input->floats(), dims(input->shape), facts.inputLayout));
  if (output)
    line(fmt::format("#define {}_OUTPUT_FLOATS {} /* float{} */", macro,
                     output->floats(), dims(output->shape)));
  if (const nnrt::ArgSpec *target = find(nnrt::Role::Target, false))
    line(fmt::format("#define {}_TARGET_FLOATS {} /* float{} */", macro,
                     target->floats(), dims(target->shape)));
  if (facts.classes > 0)
    line(fmt::format("#define {}_CLASSES {}", macro, facts.classes));
  line("");

  for (nnrt::Role role : {nnrt::Role::Param, nnrt::Role::State}) {
    const FunctionSignature *owner = nullptr;
    for (const FunctionSignature &fn : iface.functions)
      for (const nnrt::ArgSpec &a : fn.args)
        if (!owner && a.role == role && !a.result)
          owner = &fn;
    if (!owner)
      continue;
    bool param = role == nnrt::Role::Param;
    std::string group = param ? "PARAM" : "STATE";
    int64_t total = 0;
    std::string offsets;
    for (const nnrt::ArgSpec &a : owner->args)
      if (a.role == role && !a.result) {
        offsets +=
            fmt::format("#define {}_{}_{} {} /* {}: float{} */\n", macro, group,
                        upper(a.name), total, a.name, dims(a.shape));
        total += a.floats();
      }
    if (param) {
      line("/* Parameters: one float array holding these tensors, at these "
           "offsets.");
      line(
          "   A dense layer's weight is [inputs][outputs]; a convolution's is");
      line("   [kernel * kernel * input channels][filters], its rows in "
           "(kernel row,");
      line("   kernel column, input channel) order. A raw file of this array "
           "is what");
      line("   `nnc eval --load` and `nnc train --resume` accept besides "
           "checkpoints. */");
      if (iface.weights && !iface.trainable)
        line("/* (The trained values are compiled in; predict takes none.) */");
    } else {
      line(fmt::format(
          "/* Optimizer state: one float array, slot by slot ({}), each slot "
          "holding",
          llvm::join(facts.stateSlots, ", ")));
      line("   one tensor per parameter, at these offsets. */");
    }
    line(fmt::format("#define {}_{}_FLOATS {}", macro, group, total));
    h += offsets;
    line("");
  }
  if (iface.weights && iface.trainable) {
    line("/* The trained parameters the object was compiled with, a starting "
         "point. */");
    line(fmt::format("extern const float {}_initial_params[{}_PARAM_FLOATS];",
                     iface.prefix, macro));
    line("");
  }

  for (const FunctionSignature &fn : iface.functions)
    line(fmt::format("#define {}_{}_WORKSPACE_BYTES {}", macro, upper(fn.name),
                     fn.workspaceBytes));
  line("");

  for (const FunctionSignature &fn : iface.functions) {
    std::vector<CParam> params = cParameters(fn, iface);
    line(fmt::format("/* {}_{}: {}", iface.prefix, fn.name, functionDoc(fn)));
    line(" *");
    for (const CParam &p : params)
      line(fmt::format(" *   {}: {}", p.name,
                       describeParam(p, fn, macro, facts)));
    line(" */");
    std::vector<std::string> decls;
    for (const CParam &p : params) {
      switch (p.kind) {
      case CParam::Kind::Scalar:
        decls.push_back("float " + p.name);
        break;
      case CParam::Kind::Workspace:
        decls.push_back("void *" + p.name);
        break;
      case CParam::Kind::Floats:
        decls.push_back((p.output ? "float *" : "const float *") + p.name);
        break;
      }
    }
    line(fmt::format("void {}_{}({});", iface.prefix, fn.name,
                     fmt::join(decls, ", ")));
    line("");
  }
  line("#ifdef __cplusplus");
  line("}");
  line("#endif");
  line("");
  line(fmt::format("#endif /* NNC_MODEL_{}_H */", macro));
  return h;
}
