package io.eqlwatch.es;

/** Told when a call to Elasticsearch is retried or finally fails; must be quick and must not throw. */
public interface CallObserver {

    CallObserver NONE = new CallObserver() {
        @Override
        public void retried(String what) {}

        @Override
        public void failed(String what, boolean transientCause) {}
    };

    /** One more attempt of the call described by {@code what} follows a transient failure. */
    void retried(String what);

    /**
     * The call gave up: after its last attempt ({@code transientCause} true: the cluster did not
     * answer or was overloaded) or at once on an error no retry can fix.
     */
    void failed(String what, boolean transientCause);
}
