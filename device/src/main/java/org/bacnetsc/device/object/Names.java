package org.bacnetsc.device.object;



/** How names are compared: case, hyphens, underscores and spaces do not matter. */
final class Names {

    private Names() {
    }

    static String key(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c != '-' && c != '_' && c != ' ') {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(java.util.Locale.ROOT);
    }
}
