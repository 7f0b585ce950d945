import CBLAS
/// The shared NF4/LoRA tensor library on OpenBLAS.
public enum TensorsVersion { public static let string = "0.1.0" }
