package dev.beacon.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves {@code /v1} on Spring MVC: hands each request to the pipeline and writes what it answers. */
@RestController
class MvcApiEndpoint {
    private final ApiPipeline pipeline;
    private final ApiRenderer renderer;

    MvcApiEndpoint(ApiPipeline pipeline, ApiRenderer renderer) {
        this.pipeline = pipeline;
        this.renderer = renderer;
    }

    @RequestMapping("/v1/**")
    CompletableFuture<ResponseEntity<byte[]>> serve(HttpServletRequest request) throws IOException {
        RouteTable.Match match;
        byte[] body;
        try {
            match = pipeline.match(request.getMethod(), request.getRequestURI());
            body = body(request, match.route());
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(render(ApiPipeline.failed(e)));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> query.put(name, Arrays.asList(values)));
        return pipeline.handle(match, query, request::getHeader, body)
                .thenApply(this::render).toCompletableFuture();
    }

    private static byte[] body(HttpServletRequest request, Route route) throws IOException {
        if (route.maxBody() == 0) {
            return new byte[0];
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(route.maxBody() + 1);
            if (bytes.length > route.maxBody()) {
                throw RequestBodies.tooLarge(route);
            }
            return bytes;
        }
    }

    private ResponseEntity<byte[]> render(ApiResponse response) {
        HttpHeaders headers = new HttpHeaders();
        renderer.headers(response, headers::set);
        headers.set(HttpHeaders.CONTENT_TYPE, response.contentType());
        return ResponseEntity.status(HttpStatus.valueOf(response.status())).headers(headers)
                .body(renderer.body(response));
    }
}
