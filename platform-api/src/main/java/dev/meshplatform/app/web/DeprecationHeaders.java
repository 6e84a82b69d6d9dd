package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductVersionView;
import org.springframework.http.HttpHeaders;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A deprecated version tells whoever reads it, its data or its documents, so: {@code Deprecation} (RFC 9745, when it
 * was deprecated) and, when its owners announced one, {@code Sunset} (RFC 8594, when it stops being served).
 */
public final class DeprecationHeaders {

    private DeprecationHeaders() {
    }

    public static HttpHeaders of(ProductVersionView version) {
        HttpHeaders headers = new HttpHeaders();
        if (version.status() == LifecycleStatus.DEPRECATED) {
            headers.set("Deprecation", "@" + version.statusChangedAt().getEpochSecond());
            if (version.sunset() != null) {
                headers.set("Sunset", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        version.sunset().atZone(ZoneOffset.UTC)));
            }
        }
        return headers;
    }
}
