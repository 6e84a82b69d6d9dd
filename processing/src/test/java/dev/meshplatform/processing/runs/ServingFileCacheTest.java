package dev.meshplatform.processing.runs;

import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.exceptions.NotFoundException;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServingFileCacheTest {

    private final InMemoryFileIO store = new InMemoryFileIO();

    @Test
    void aSmallFileIsReadFromTheStoreOnceThenFromMemory() throws IOException {
        ServingFileCache cache = new ServingFileCache(1024, 100);
        store.addFile("s3://w/a.parquet", bytes("0123456789"));

        assertThat(read(cache.input(store, "s3://w/a.parquet", null))).isEqualTo("0123456789");
        store.deleteFile("s3://w/a.parquet");

        InputFile held = cache.input(store, "s3://w/a.parquet", 10L);
        assertThat(held.getLength()).isEqualTo(10);
        assertThat(read(held)).isEqualTo("0123456789");
        assertThat(cache.heldBytes()).isEqualTo(10);
    }

    @Test
    void aFileLargerThanTheLimitIsReadFromTheStoreEveryTime() throws IOException {
        ServingFileCache cache = new ServingFileCache(1024, 4);
        store.addFile("s3://w/big.parquet", bytes("0123456789"));

        assertThat(read(cache.input(store, "s3://w/big.parquet", null))).isEqualTo("0123456789");
        assertThat(cache.heldBytes()).isZero();
        store.deleteFile("s3://w/big.parquet");
        assertThatThrownBy(() -> cache.input(store, "s3://w/big.parquet", null).newStream())
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void theLeastRecentlyReadFilesMakeRoomPastTheCapacity() throws IOException {
        ServingFileCache cache = new ServingFileCache(25, 10);
        for (String name : new String[]{"a", "b", "c"}) {
            store.addFile("s3://w/" + name, bytes(name.repeat(10)));
            read(cache.input(store, "s3://w/" + name, null));
        }
        assertThat(cache.heldBytes()).isEqualTo(20);
        store.deleteFile("s3://w/a");
        store.deleteFile("s3://w/b");
        store.deleteFile("s3://w/c");

        assertThat(read(cache.input(store, "s3://w/c", null))).isEqualTo("cccccccccc");
        assertThat(read(cache.input(store, "s3://w/b", null))).isEqualTo("bbbbbbbbbb");
        assertThatThrownBy(() -> cache.input(store, "s3://w/a", null).newStream())
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aHeldFileSeeksAndReadsAsAStoredOneDoes() throws IOException {
        ServingFileCache cache = new ServingFileCache(1024, 100);
        store.addFile("s3://w/f", bytes("abcdefghij"));
        read(cache.input(store, "s3://w/f", null));

        try (SeekableInputStream in = cache.input(store, "s3://w/f", null).newStream()) {
            in.seek(7);
            assertThat(in.getPos()).isEqualTo(7);
            byte[] tail = new byte[8];
            assertThat(in.read(tail, 0, 8)).isEqualTo(3);
            assertThat(new String(tail, 0, 3, StandardCharsets.UTF_8)).isEqualTo("hij");
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(tail, 0, 8)).isEqualTo(-1);
            in.seek(0);
            assertThat(in.read()).isEqualTo('a');
            assertThatThrownBy(() -> in.seek(11)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void nothingIsHeldWhenTurnedOff() throws IOException {
        ServingFileCache cache = new ServingFileCache(0, 8 << 20);
        store.addFile("s3://w/a", bytes("abc"));

        assertThat(read(cache.input(store, "s3://w/a", null))).isEqualTo("abc");
        assertThat(cache.heldBytes()).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(InputFile file) throws IOException {
        try (SeekableInputStream in = file.newStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
