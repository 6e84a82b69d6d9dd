package dev.meshplatform.registry.api;

/** A newly issued key: {@code secret} is the whole bearer token, shown this once and never stored. */
public record IssuedApiKey(ApiKeyView key, String secret) {

    @Override
    public String toString() {
        return "IssuedApiKey[" + key.id() + "]";
    }
}
