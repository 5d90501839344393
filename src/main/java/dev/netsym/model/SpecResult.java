package dev.netsym.model;

import java.util.List;
import java.util.Optional;

/** What reading a spec gave: the network when there were no errors, and every diagnostic. */
public record SpecResult(Optional<Network> network, List<Diagnostic> diagnostics) {
    public SpecResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
