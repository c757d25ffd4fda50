/**
 * The pieces an HTTP API of a service is built from, beside the admin server: a route table ({@link
 * io.streamtune.runtime.http.Routes}) with path parameters and 404/405 answers, a bearer token
 * check ({@link io.streamtune.runtime.http.BearerAuth}), a size-limited body reader ({@link
 * io.streamtune.runtime.http.BodyReader}), JSON answers ({@link
 * io.streamtune.runtime.http.JsonResponses}), and the two ways a request fails: {@link
 * io.streamtune.runtime.http.HttpProblem} (the client's, 4xx) and {@link
 * io.streamtune.runtime.http.UnavailableException} (a dependency's, 503 with {@code Retry-After});
 * anything else is a bug and answers 500 with an id to quote.
 */
package io.streamtune.runtime.http;
