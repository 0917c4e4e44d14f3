import java.util.function.Supplier;

// The AWFY harness: java -cp DIR Harness <Benchmark> <outer iterations> <inner size>
public final class Harness {
  private static Supplier<Benchmark> create(final String name) {
    switch (name) {
      case "Bounce": return Bounce::new;
      case "List": return ListBench::new;
      case "Mandelbrot": return Mandelbrot::new;
      case "Permute": return Permute::new;
      case "Queens": return Queens::new;
      case "Sieve": return Sieve::new;
      case "Storage": return Storage::new;
      case "Towers": return Towers::new;
      case "Richards": return Richards::new;
      case "DeltaBlue": return DeltaBlue::new;
      case "Havlak": return Havlak::new;
      case "BinaryTrees": return BinaryTrees::new;
      case "FannkuchRedux": return FannkuchRedux::new;
      case "SpectralNorm": return SpectralNorm::new;
      case "Fasta": return Fasta::new;
      case "CD": return CD::new;
      case "Json": return Json::new;
      case "NBody": return NBody::new;
      default: throw new IllegalArgumentException("unknown benchmark: " + name);
    }
  }

  public static void main(final String[] args) {
    final String name = args[0];
    final int outer = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    final int inner = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    final Benchmark bench = create(name).get();
    System.out.println("Starting " + name + " benchmark ...");
    long total = 0;
    for (int i = 0; i < outer; i++) {
      final long start = System.nanoTime();
      if (!bench.innerBenchmarkLoop(inner)) {
        System.out.println("Benchmark failed with incorrect result");
        System.exit(1);
      }
      final long t = (System.nanoTime() - start) / 1000;
      total += t;
      System.out.println(name + ": iterations=1 runtime: " + t + "us");
    }
    System.out.println(name + ": iterations=" + outer + " average: " + (total / outer) + "us total: " + total + "us\n");
    System.out.println("Total Runtime: " + total + "us");
  }
}
