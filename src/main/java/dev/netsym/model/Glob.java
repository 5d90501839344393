package dev.netsym.model;

/** Name patterns as the shell writes them: {@code *} any run of characters, {@code ?} any one. */
public final class Glob {
    private Glob() {}

    public static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resumeAt = 0;
        while (n < name.length()) {
            char c = p < pattern.length() ? pattern.charAt(p) : 0;
            if (p < pattern.length() && (c == '?' || (c != '*' && c == name.charAt(n)))) {
                p++;
                n++;
            } else if (c == '*' && p < pattern.length()) {
                star = p++;
                resumeAt = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }
}
