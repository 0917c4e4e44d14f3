// bench/collections: the Java 17 peer of collections.kl (same phases, same checks).
//   javac -d OUT Collections.java && java -cp OUT Collections [N REPS K KREPS]
import java.util.ArrayList;
import java.util.HashMap;

public class Collections {
    static String ms(long t0) {
        long us = (System.nanoTime() - t0) / 1000;
        return (us / 1000) + "." + (us % 1000 / 100);
    }

    public static void main(String[] args) {
        int n = 1000000, reps = 20, k = 100000, kreps = 20;
        if (args.length == 4) {
            n = Integer.parseInt(args[0]); reps = Integer.parseInt(args[1]);
            k = Integer.parseInt(args[2]); kreps = Integer.parseInt(args[3]);
        }
        ArrayList<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(i);
        long t0 = System.nanoTime();
        long sum = 0;
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < list.size(); i++) sum += list.get(i);
        System.out.println("listget " + ms(t0));
        if (sum != (long) reps * ((long) n * (n - 1) / 2)) { System.out.println("listget: wrong sum " + sum); System.exit(1); }

        String[] keys = new String[k];
        HashMap<String, Integer> map = new HashMap<>();
        for (int i = 0; i < k; i++) { keys[i] = "key" + i; map.put(keys[i], i); }
        t0 = System.nanoTime();
        long total = 0;
        for (int r = 0; r < kreps; r++)
            for (int i = 0; i < k; i++) total += map.get(keys[i]);
        System.out.println("mapget " + ms(t0));
        if (total != (long) kreps * ((long) k * (k - 1) / 2)) { System.out.println("mapget: wrong sum " + total); System.exit(1); }
    }
}
