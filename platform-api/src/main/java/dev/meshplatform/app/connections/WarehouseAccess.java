package dev.meshplatform.app.connections;

/**
 * Where the platform keeps its tables, for an operator's awscli or another Iceberg engine: never a secret.
 *
 * @param s3Endpoint      the S3 endpoint, or null for AWS S3 itself
 * @param region          the signing region
 * @param bucket          the warehouse's bucket
 * @param pathStyleAccess whether URLs are {@code endpoint/bucket/key}
 * @param location        the Iceberg warehouse location
 * @param credentials     where the S3 credentials are found (never the credentials)
 * @param catalogType     Iceberg's catalog implementation: {@code jdbc}
 * @param catalogName     the name the platform's own Spark sessions give the catalog
 * @param catalogUri      the catalog's JDBC URL as another engine reaches it while the platform runs
 * @param catalogUser     the catalog database's user (the password is not shown)
 * @param embedded        whether these are the embedded default's servers, on 127.0.0.1 only
 */
public record WarehouseAccess(String s3Endpoint, String region, String bucket, boolean pathStyleAccess,
                              String location, String credentials, String catalogType, String catalogName,
                              String catalogUri, String catalogUser, boolean embedded) {
}
