//===- Diagnostics.cpp - how nnc shows its diagnostics --------------------===//
//
// Renders MLIR diagnostics as clang does: `file:line:col: error: message`,
// the source line and a caret under the column. A long line is shown as a
// window around the column, bytes that are not printable UTF-8 as '?', and
// after the error limit the rest is dropped with one line saying so. A
// diagnostic at no source location reads like a tool's: `nnc: error: ...`.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <unistd.h>

using namespace mlir;
using namespace nnc;

namespace {

/// Lines longer than this are shown as a window of kWindow bytes.
constexpr size_t kLongLine = 160;
constexpr size_t kWindow = 100;

const char *severityName(DiagnosticSeverity s) {
  switch (s) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

/// `text` with control characters as ' ' and bytes that are not UTF-8 as
/// '?', byte for byte, so that columns keep their meaning.
std::string printable(llvm::StringRef text) {
  std::string out(text);
  for (size_t i = 0; i < out.size();) {
    unsigned char c = out[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t')
        out[i] = ' ';
      ++i;
      continue;
    }
    const auto *p = reinterpret_cast<const llvm::UTF8 *>(out.data() + i);
    unsigned n = llvm::getNumBytesForUTF8(c);
    if (n <= out.size() - i &&
        llvm::isLegalUTF8String(
            &p, reinterpret_cast<const llvm::UTF8 *>(out.data() + i + n))) {
      i += n;
      continue;
    }
    out[i++] = '?';
  }
  return out;
}

class Printer : public ScopedDiagnosticHandler {
public:
  Printer(llvm::SourceMgr &sm, MLIRContext &ctx, llvm::raw_ostream &os,
          unsigned limit)
      : ScopedDiagnosticHandler(&ctx), sm(sm), os(os), limit(limit) {
    setHandler([this](Diagnostic &d) {
      handle(d);
      return success();
    });
  }

private:
  void handle(Diagnostic &d) {
    if (stopped)
      return;
    if (d.getSeverity() == DiagnosticSeverity::Error && limit &&
        ++errors > limit) {
      os << "nnc: error: too many errors emitted, stopping now [-ferror-limit="
         << limit << "]\n";
      stopped = true;
      return;
    }
    render(d.getLocation(), d.getSeverity(), d.str());
    for (Diagnostic &note : d.getNotes())
      render(note.getLocation(), note.getSeverity(), note.str());
    os.flush();
  }

  /// The buffer holding `file`: one of the source manager's, or the file
  /// itself loaded now (a data file); 0 if there is none.
  unsigned bufferFor(llvm::StringRef file) {
    for (unsigned id = 1; id <= sm.getNumBuffers(); ++id)
      if (sm.getMemoryBuffer(id)->getBufferIdentifier() == file)
        return id;
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
    if (!buffer)
      return 0;
    return sm.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  }

  void render(Location loc, DiagnosticSeverity severity,
              const std::string &msg) {
    auto at = loc->findInstanceOf<FileLineColLoc>();
    std::string text = printable(msg);
    if (!at) {
      os << "nnc: " << severityName(severity) << ": " << text << "\n";
      return;
    }
    unsigned line = at.getLine(), col = at.getColumn();
    os << printable(at.getFilename().getValue()) << ":" << line << ":" << col
       << ": " << severityName(severity) << ": " << text << "\n";
    unsigned id = bufferFor(at.getFilename().getValue());
    llvm::SMLoc lineStart =
        id && line ? sm.FindLocForLineAndColumn(id, line, 1) : llvm::SMLoc();
    if (!lineStart.isValid())
      return;
    llvm::StringRef buffer = sm.getMemoryBuffer(id)->getBuffer();
    llvm::StringRef rest =
        buffer.substr(lineStart.getPointer() - buffer.data());
    llvm::StringRef source = rest.take_until([](char c) { return c == '\n'; });
    if (source.ends_with("\r"))
      source = source.drop_back();
    size_t caret = std::min<size_t>(col ? col - 1 : 0, source.size());
    std::string prefix, suffix;
    if (source.size() > kLongLine) {
      size_t from = caret > kWindow / 2 ? caret - kWindow / 2 : 0;
      from = std::min(from, source.size() - std::min(source.size(), kWindow));
      if (from) {
        prefix = "...";
        // Start on a character, not inside one.
        while (from < caret &&
               (static_cast<unsigned char>(source[from]) & 0xC0) == 0x80)
          ++from;
      }
      size_t to = std::min(source.size(), from + kWindow);
      while (to > caret + 1 && to < source.size() &&
             (static_cast<unsigned char>(source[to]) & 0xC0) == 0x80)
        --to;
      if (to < source.size())
        suffix = "...";
      source = source.slice(from, to);
      caret -= from;
    }
    std::string shown = printable(source);
    os << prefix << shown << suffix << "\n";
    std::string marker(prefix.size(), ' ');
    for (size_t i = 0; i < caret && i < shown.size(); ++i) {
      unsigned char c = shown[i];
      if ((c & 0xC0) == 0x80)
        continue; // one column per character
      marker += c == '\t' ? '\t' : ' ';
    }
    os << marker << "^\n";
  }

  llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
  unsigned limit;
  unsigned errors = 0;
  bool stopped = false;
};

} // namespace

InternalErrors::InternalErrors(MLIRContext *ctx) : ctx(ctx) {
  handler.emplace(ctx, [this](Diagnostic &d) -> LogicalResult {
    if (d.getSeverity() != DiagnosticSeverity::Error)
      return failure(); // to the next handler
    if (!first)
      first = d.getLocation();
    return success();
  });
}

LogicalResult InternalErrors::report(llvm::StringRef stage) {
  handler.reset();
  Location at = first ? *first : UnknownLoc::get(ctx);
  if (!at->findInstanceOf<FileLineColLoc>())
    at = UnknownLoc::get(ctx);
  emitError(at)
      << "internal compiler error: nnc failed to compile this model in "
      << "its '" << stage << "' stage; this is a bug in nnc, not in the "
      << "model: please report it with the model file";
  return failure();
}

int nnc::runWithDiagnostics(llvm::SourceMgr &sm, MLIRContext &ctx, bool verify,
                            llvm::function_ref<LogicalResult()> body,
                            unsigned errorLimit) {
  if (verify) {
    SourceMgrDiagnosticVerifierHandler handler(sm, &ctx);
    (void)body();
    return failed(handler.verify()) ? 1 : 0;
  }
  Printer printer(sm, ctx, llvm::errs(), errorLimit);
  return failed(body()) ? 1 : 0;
}

bool nnc::parseCommandLine(int argc, const char *const *argv,
                           llvm::StringRef overview, llvm::raw_ostream &os) {
  std::string errors;
  llvm::raw_string_ostream collected(errors);
  // Some of llvm::cl's complaints (a value that does not parse) go straight
  // to stderr, whatever stream it is given: catch those from the descriptor.
  std::FILE *caught = std::tmpfile();
  int stderrCopy = caught ? dup(2) : -1;
  if (stderrCopy >= 0)
    dup2(fileno(caught), 2);
  bool ok = llvm::cl::ParseCommandLineOptions(argc, argv, overview, &collected);
  if (stderrCopy >= 0) {
    llvm::errs().flush();
    dup2(stderrCopy, 2);
    close(stderrCopy);
    std::rewind(caught);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), caught)) > 0)
      errors.append(buf, n);
  }
  if (caught)
    std::fclose(caught);
  // LLVM writes "nnc: Unknown command line argument '--x'.  Try: ..." and
  // "nnc: Did you mean '--y'?": an error and a note, said as nnc says them.
  llvm::StringRef tool = llvm::sys::path::filename(argv[0]);
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(errors).split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    line = line.trim();
    line.consume_front(tool);
    line = line.ltrim(": ").rtrim();
    bool note = line.starts_with("Did you mean");
    std::string text = line.str();
    if (!text.empty())
      text[0] = char(std::tolower(static_cast<unsigned char>(text[0])));
    os << "nnc: " << (note ? "note" : "error") << ": " << text << "\n";
  }
  return ok;
}

void nnc::installFatalErrorHandlers() {
  // LLVM's fatal errors and failed allocations end the process; they do so
  // with a line of nnc's instead of LLVM's report and a stack dump.
  llvm::install_fatal_error_handler([](void *, const char *reason, bool) {
    std::fflush(stdout);
    llvm::errs()
        << "nnc: error: internal compiler error: " << reason
        << "; this is a bug in nnc: please report it with the model file\n";
    _exit(1);
  });
  llvm::install_bad_alloc_error_handler([](void *, const char *, bool) {
    std::fflush(stdout);
    // No allocation from here on: the message is written as it is.
    const char msg[] = "nnc: error: out of memory\n";
    (void)!write(2, msg, sizeof(msg) - 1);
    _exit(1);
  });
}
