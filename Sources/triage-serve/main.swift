// triage-serve: the HTTP inference server for the trained triage model. Thin: flags and environment become a
// `ServeConfiguration`, `TriageServer.load` validates the model (exit 2 with one line on failure), and the
// application runs until SIGTERM or SIGINT, finishing in-flight requests before exiting 0.
import TriageServe

await ServeCommand.runAsRoot()
