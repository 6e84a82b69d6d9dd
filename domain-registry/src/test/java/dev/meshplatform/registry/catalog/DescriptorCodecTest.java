package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.DescriptorChange;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorCodecTest {

    @Test
    void storedJsonLoadsBackEqual() {
        ProductDescriptor d = Descriptors.complete();
        assertThat(DescriptorCodec.descriptor(DescriptorCodec.toJson(d))).isEqualTo(d);
    }

    @Test
    void theHashIgnoresTheOrderOfCustomProperties() {
        ProductDescriptor c = Descriptors.complete();
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(c.customProperties().keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, c.customProperties().get(k)));
        ProductDescriptor d = new ProductDescriptor(c.title(), c.description(), c.owner(), c.support(), c.tags(),
                c.inputPorts(), c.outputPort(), c.schema(), c.slos(), c.quality(), c.transformation(), c.retention(),
                reversed);
        assertThat(DescriptorCodec.sha256(DescriptorCodec.toJson(d)))
                .isEqualTo(DescriptorCodec.sha256(DescriptorCodec.toJson(c)));
    }

    @Test
    void diffNamesEachChangedPath() {
        ProductDescriptor c = Descriptors.complete();
        ProductDescriptor d = new ProductDescriptor("People v2", c.description(), c.owner(), c.support(),
                List.of("people"), c.inputPorts(), c.outputPort(), c.schema(), c.slos(), c.quality(),
                c.transformation(), null, c.customProperties());
        List<DescriptorChange> changes = DescriptorDiff.between(DescriptorCodec.tree(c), DescriptorCodec.tree(d));
        assertThat(changes).extracting(DescriptorChange::path, DescriptorChange::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/title", DescriptorChange.Kind.CHANGED),
                org.assertj.core.groups.Tuple.tuple("/tags/1", DescriptorChange.Kind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("/retention", DescriptorChange.Kind.REMOVED));
        assertThat(DescriptorDiff.between(DescriptorCodec.tree(c), DescriptorCodec.tree(c))).isEmpty();
    }
}
