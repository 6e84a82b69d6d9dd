package jakarta.servlet;

/**
 * Servlet 6 removed this interface, but Spark's metrics servlet still references it, so SparkContext fails with
 * {@code NoClassDefFoundError: jakarta/servlet/SingleThreadModel} next to Spring Boot's Tomcat even with the UI off.
 * No Spark setting avoids the reference; declaring the interface again does. Remove once Spark drops it.
 */
@Deprecated
public interface SingleThreadModel {
}
