package io.eqlwatch.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link ElasticsearchClient}s. The 8.19 Java client is used for both 8.19 and 9.x clusters (it
 * sends version-8 compatibility headers, which 9.x accepts). Close the client to release its connections.
 * Retrying failed calls is {@link RetryPolicy}'s job, not the client's: the low-level client only fails over
 * between nodes. The client only notes a {@code Retry-After} it hears (see {@link RetryAfter}).
 */
public final class ElasticsearchClients {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchClients.class);

    private ElasticsearchClients() {}

    /** A client for {@code url} with credentials and CA from the environment (see {@link ElasticsearchConnection}). */
    public static ElasticsearchClient create(String url) {
        return create(ElasticsearchConnection.fromEnvironment(url));
    }

    public static ElasticsearchClient create(ElasticsearchConnection connection) {
        // The connection's own description: the URL without credentials and the kind of auth, never the secret.
        LOG.debug("connecting to Elasticsearch at {}", connection);
        RestClientBuilder builder = RestClient.builder(HttpHost.create(connection.url()));
        if (connection.apiKey() != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + connection.apiKey())});
        }
        SSLContext ssl = connection.caCertificate() == null ? null : sslContextTrusting(connection);
        builder.setRequestConfigCallback(request -> request.setConnectTimeout(
                        (int) connection.connectTimeout().toMillis())
                .setSocketTimeout((int) connection.socketTimeout().toMillis()));
        builder.setHttpClientConfigCallback(http -> {
            if (connection.username() != null) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(
                        AuthScope.ANY, new UsernamePasswordCredentials(connection.username(), connection.password()));
                http.setDefaultCredentialsProvider(credentials);
            }
            if (ssl != null) {
                http.setSSLContext(ssl);
            }
            http.addInterceptorLast((HttpResponseInterceptor) (response, context) -> {
                int status = response.getStatusLine().getStatusCode();
                Header retryAfter = response.getFirstHeader("Retry-After");
                if (retryAfter != null && (status == 429 || status == 503)) {
                    RetryAfter.heard(retryAfter.getValue());
                }
            });
            return http;
        });
        RestClientTransport transport =
                new RestClientTransport(builder.build(), new JacksonJsonpMapper(objectMapper()));
        return new ElasticsearchClient(transport);
    }

    /** The Jackson mapper the clients use: java.time support, ISO-8601 dates. */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static SSLContext sslContextTrusting(ElasticsearchConnection connection) {
        try (InputStream in = Files.newInputStream(connection.caCertificate())) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No certificate in CA file " + connection.caCertificate());
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot use CA certificate " + connection.caCertificate() + ": " + e.getMessage(), e);
        }
    }
}
