/// What every stage executable links: its params, paths, progress and atomic output writing.
public enum StageKitVersion { public static let string = "0.1.0" }
