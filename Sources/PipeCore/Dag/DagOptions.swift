/// What `pipe dag` draws and how.
public struct DagOptions: Sendable, Hashable {
    /// The output formats: an ASCII drawing for a terminal, or text for other tools.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// Boxes and edges, layered top (upstream) to bottom (downstream), like `dvc dag`.
        case ascii
        /// Graphviz `strict digraph`.
        case dot
        /// A Mermaid `flowchart TD`.
        case mermaid
        /// The Mermaid flowchart inside a Markdown fenced block.
        case md
        /// `{"nodes": [...], "edges": [...]}`, documented in docs/pipeline-yaml.md.
        case json
    }

    /// The text format to produce.
    public var format: Format
    /// Draw outputs (files) as nodes instead of stages.
    public var outs: Bool
    /// Restrict the drawing to this stage (or foreach/matrix group) and everything upstream of it.
    public var target: String?
    /// Stages to mark as stale (in `outs` mode, their outputs are marked).
    public var stale: Set<String>
    /// With a target: the whole pipeline it belongs to (every stage connected to it), not only its upstream
    /// (`dvc dag --full`).
    public var full = false

    /// Options with the `pipe dag` defaults: ASCII, stages, everything, nothing stale.
    public init(format: Format = .ascii, outs: Bool = false, target: String? = nil, stale: Set<String> = []) {
        self.format = format
        self.outs = outs
        self.target = target
        self.stale = stale
    }
}
