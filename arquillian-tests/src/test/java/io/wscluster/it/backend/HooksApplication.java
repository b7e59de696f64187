package io.wscluster.it.backend;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The test backend's JAX-RS application: the hooks under {@code /backend/hooks}. */
@ApplicationPath("hooks")
public class HooksApplication extends Application {
}
