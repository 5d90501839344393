package dev.netsym.model;

import java.util.Comparator;

/**
 * Orders names as a person would: w2 before w10, W_h[2,1] before W_h[10,1]. Allocation-free,
 * since it sorts hundreds of thousands of weight names.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                // Compare the digit runs as numbers: skip leading zeros, then longer is larger.
                int si = i;
                while (si < a.length() && a.charAt(si) == '0') si++;
                int sj = j;
                while (sj < b.length() && b.charAt(sj) == '0') sj++;
                int ei = si;
                while (ei < a.length() && isDigit(a.charAt(ei))) ei++;
                int ej = sj;
                while (ej < b.length() && isDigit(b.charAt(ej))) ej++;
                int c = Integer.compare(ei - si, ej - sj);
                for (int k = 0; c == 0 && k < ei - si; k++) c = Character.compare(a.charAt(si + k), b.charAt(sj + k));
                if (c != 0) return c;
                i = ei;
                j = ej;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
