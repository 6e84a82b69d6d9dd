package dev.meshplatform.processing.runs;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SeekableInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of small files that serving read lately, kept in memory, so that reading a small product again costs no
 * request to the object store (a length lookup, the Parquet footer, its row groups: three round trips a read). Safe
 * because every file a table's snapshot names — data files, manifests, manifest lists — is written once under a name
 * of its own and never changed: a commit writes new files, and a purged table's files are never named again.
 * Metadata files are not read through it (a table refreshes through its own catalog connection).
 */
final class ServingFileCache {

    private final long capacityBytes;
    private final long largestFileBytes;
    private long heldBytes;
    private final Map<String, byte[]> files = new LinkedHashMap<>(64, 0.75f, true);
    /**
     * One reading FileIO per store FileIO, made once: Iceberg keys its caches by FileIO. A catalog shares one FileIO
     * among all its tables, so this holds one entry per catalog.
     */
    private final Map<FileIO, FileIO> readers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param capacityBytes    the most bytes held; 0 keeps nothing
     * @param largestFileBytes files larger than this are read from the store every time
     */
    ServingFileCache(long capacityBytes, long largestFileBytes) {
        this.capacityBytes = capacityBytes;
        this.largestFileBytes = Math.min(largestFileBytes, capacityBytes);
    }

    /** {@code table} as read through this cache: its scans read small files from memory once they were read once. */
    Table reading(Table table) {
        if (capacityBytes == 0 || !(table instanceof HasTableOperations operations)) {
            return table;
        }
        return new BaseTable(new ReadThrough(operations.operations(), this), table.name());
    }

    long heldBytes() {
        synchronized (files) {
            return heldBytes;
        }
    }

    private byte[] cached(String location) {
        synchronized (files) {
            return files.get(location);
        }
    }

    private void keep(String location, byte[] bytes) {
        synchronized (files) {
            byte[] previous = files.put(location, bytes);
            heldBytes += bytes.length - (previous == null ? 0 : previous.length);
            var eldest = files.entrySet().iterator();
            while (heldBytes > capacityBytes && eldest.hasNext()) {
                heldBytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }
    }

    /** A file of the store: from memory when held, else read whole on first use when small enough. */
    InputFile input(FileIO store, String location, Long knownLength) {
        byte[] held = cached(location);
        if (held != null) {
            return new HeldFile(location, held);
        }
        InputFile stored = knownLength == null ? store.newInputFile(location) : store.newInputFile(location, knownLength);
        return new InputFile() {
            private InputFile read;

            private InputFile resolved() {
                if (read == null) {
                    long length = stored.getLength();
                    read = length > largestFileBytes ? stored : new HeldFile(location, readWhole(stored, length));
                    if (read instanceof HeldFile file) {
                        keep(location, file.bytes);
                    }
                }
                return read;
            }

            @Override
            public long getLength() {
                return resolved().getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                return resolved().newStream();
            }

            @Override
            public String location() {
                return location;
            }

            @Override
            public boolean exists() {
                return stored.exists();
            }
        };
    }

    private static byte[] readWhole(InputFile file, long length) {
        byte[] bytes = new byte[Math.toIntExact(length)];
        try (InputStream in = file.newStream()) {
            int at = 0;
            while (at < bytes.length) {
                int read = in.read(bytes, at, bytes.length - at);
                if (read < 0) {
                    throw new EOFException(file.location() + " ended after " + at + " of " + length + " bytes");
                }
                at += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private FileIO readerOf(FileIO store) {
        // Manifests are held here like any small file: Iceberg's own manifest cache would hold them a second time.
        Map<String, String> properties = new java.util.HashMap<>(store.properties());
        properties.put(org.apache.iceberg.CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "false");
        Map<String, String> readerProperties = Map.copyOf(properties);
        return new FileIO() {
            @Override
            public InputFile newInputFile(String path) {
                return input(store, path, null);
            }

            @Override
            public InputFile newInputFile(String path, long length) {
                return input(store, path, length);
            }

            @Override
            public OutputFile newOutputFile(String path) {
                throw new UnsupportedOperationException("serving reads; it never writes");
            }

            @Override
            public void deleteFile(String path) {
                throw new UnsupportedOperationException("serving reads; it never deletes");
            }

            @Override
            public Map<String, String> properties() {
                return readerProperties;
            }
        };
    }

    /** The table's own operations, with its files read through the cache. */
    private record ReadThrough(TableOperations table, ServingFileCache cache) implements TableOperations {

        @Override
        public TableMetadata current() {
            return table.current();
        }

        @Override
        public TableMetadata refresh() {
            return table.refresh();
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            throw new UnsupportedOperationException("serving reads; it never commits");
        }

        @Override
        public FileIO io() {
            return cache.readers.computeIfAbsent(table.io(), cache::readerOf);
        }

        @Override
        public EncryptionManager encryption() {
            return table.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return table.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return table.locationProvider();
        }

        @Override
        public long newSnapshotId() {
            return table.newSnapshotId();
        }
    }

    /** A file held in memory. */
    private record HeldFile(String location, byte[] bytes) implements InputFile {

        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new SeekableInputStream() {
                private int position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void seek(long newPos) throws IOException {
                    if (newPos < 0 || newPos > bytes.length) {
                        throw new EOFException("seek to " + newPos + " outside " + location + " (" + bytes.length
                                + " bytes)");
                    }
                    position = (int) newPos;
                }

                @Override
                public int read() {
                    return position < bytes.length ? bytes[position++] & 0xff : -1;
                }

                @Override
                public int read(byte[] into, int offset, int length) {
                    if (length == 0) {
                        return 0;
                    }
                    if (position >= bytes.length) {
                        return -1;
                    }
                    int n = Math.min(length, bytes.length - position);
                    System.arraycopy(bytes, position, into, offset, n);
                    position += n;
                    return n;
                }

                @Override
                public int available() {
                    return bytes.length - position;
                }
            };
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public boolean exists() {
            return true;
        }
    }
}
