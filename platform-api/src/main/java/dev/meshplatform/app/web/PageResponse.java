package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.PageResult;

import java.util.List;

/**
 * One page of a list as the API answers it.
 *
 * @param page  the page number, from 0
 * @param total how many items there are over all pages
 */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

    public static <T> PageResponse<T> of(PageResult<T> result) {
        return new PageResponse<>(result.items(), result.page(), result.size(), result.total());
    }

    /** A list that is never long enough to page (a product's versions, its landing jobs): all of it as one page. */
    public static <T> PageResponse<T> all(List<T> items) {
        return new PageResponse<>(items, 0, items.size(), items.size());
    }
}
