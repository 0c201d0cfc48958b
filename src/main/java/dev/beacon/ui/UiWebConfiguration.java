package dev.beacon.ui;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/** Serves the UI's CSS, JavaScript and icons from the jar's {@code ui/static} folder (the repository's ui/). */
@Configuration(proxyBeanMethods = false)
class UiWebConfiguration implements WebFluxConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/ui/assets/**")
                .addResourceLocations("classpath:/ui/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
    }
}
