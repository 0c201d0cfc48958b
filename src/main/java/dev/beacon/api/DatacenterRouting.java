package dev.beacon.api;

import java.util.concurrent.CompletionStage;

/**
 * The first stage of the pipeline: a request for another datacenter ({@code ?dc=}) is answered there. Multiple
 * datacenters (issue 16) plug in here; until then only the local one exists.
 */
public interface DatacenterRouting {
    /** The answer from the request's datacenter, or null when that is this one and the request runs here. */
    CompletionStage<ApiResponse> forward(ApiRequest request);
}
