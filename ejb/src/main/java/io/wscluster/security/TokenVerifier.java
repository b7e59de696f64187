package io.wscluster.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelRules;
import io.wscluster.protocol.UserIds;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Verifies the JSON Web Tokens clients and applications present, with Nimbus JOSE+JWT: HS256 with the
 * configured shared secret, RS256 and ES256 with the configured public keys. A valid token has a
 * signature by one of those keys, a {@code sub} that is a valid user id and an {@code exp} not passed
 * (a minute of clock skew allowed), and the configured {@code iss}, if any. Optional claims: {@code
 * channels} (names and patterns it grants) and {@code roles} ({@code server} acts as the server API).
 * Tokens are never logged.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());
    private static final int MAX_TOKEN_CHARS = 8192;
    private static final Pattern PEM_PUBLIC_KEY = Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    @Inject
    Config config;

    private AuthSettings settings;
    private DefaultJWTProcessor<SecurityContext> processor;

    @PostConstruct
    void init() {
        settings = AuthSettings.from(config);
        List<JWSKeySelector<SecurityContext>> selectors = new ArrayList<>();
        settings.hmacSecret().ifPresent(secret -> {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalArgumentException("wscluster.auth.hmac-secret must be at least 32 bytes");
            }
            selectors.add(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(bytes)));
        });
        settings.publicKeys().ifPresent(path -> selectors.add(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(readKeys(path)))));
        if (selectors.isEmpty()) {
            LOG.warning("No token keys configured (wscluster.auth.hmac-secret, wscluster.auth.public-keys): every token is refused");
            return;
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new AnyOf(selectors));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                settings.issuer().map(iss -> new JWTClaimsSet.Builder().issuer(iss).build()).orElse(null), Set.of("sub", "exp")));
        if (settings.userParam()) {
            LOG.warning("wscluster.auth.user-param is on: the user query parameter is taken as identity without proof."
                    + " For development only: anyone can connect as anyone.");
        }
    }

    public AuthSettings settings() {
        return settings;
    }

    /**
     * The identity a token proves to a client connection: its user and grants. A {@code server} role in the
     * token counts for nothing here: the server's rights belong to the server API (the API key or a server
     * token on REST, the EJB), and a socket obeys the channel rules whatever its token claims.
     *
     * @throws MessageRejectedException with UNAUTHORIZED, saying why (never quoting the token)
     */
    public Identity verifyClient(String token) {
        Identity proven = verify(token);
        return proven.server() ? new Identity(proven.user(), proven.expiresAtMillis(), proven.grants(), false) : proven;
    }

    /**
     * The identity a token proves, the server role included.
     *
     * @throws MessageRejectedException with UNAUTHORIZED, saying why (never quoting the token)
     */
    private Identity verify(String token) {
        if (processor == null) {
            throw unauthorized("this server verifies no tokens");
        }
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_CHARS) {
            throw unauthorized("a token is required");
        }
        JWTClaimsSet claims;
        try {
            JWT jwt = JWTParser.parse(token);
            // Nimbus turns a numeric sub into a string; a user id is a string in the token itself.
            java.util.Map<String, Object> payload = jwt instanceof JOSEObject raw ? raw.getPayload().toJSONObject() : null;
            if (payload == null || !(payload.get("sub") instanceof String)) {
                throw unauthorized("the token's sub must be a user id (a string): " + UserIds.RULE);
            }
            claims = processor.process(jwt, null);
        } catch (ParseException e) {
            throw unauthorized("the token is not a JWT");
        } catch (BadJOSEException | JOSEException e) {
            throw unauthorized(reason(e));
        }
        String user = claims.getSubject();
        if (!UserIds.isValid(user)) {
            throw unauthorized("the token's sub is not a valid user id: " + UserIds.RULE);
        }
        try {
            List<String> channels = claims.getStringListClaim("channels");
            List<String> roles = claims.getStringListClaim("roles");
            return new Identity(user, claims.getExpirationTime().getTime(), ChannelRules.of(channels == null ? List.of() : channels),
                    roles != null && roles.contains("server"));
        } catch (ParseException | IllegalArgumentException e) {
            throw unauthorized("the token's channels and roles must be lists of names");
        }
    }

    /**
     * Signs a token of its own and verifies it {@code times} times, where it has an HMAC secret to sign with:
     * the warm-up of the token path before the node takes clients. Nothing is done with the identity.
     *
     * @return how many were verified (0 without an HMAC secret)
     */
    public int warmUp(int times) {
        if (processor == null || settings.hmacSecret().isEmpty()) {
            return 0;
        }
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("warmup")
                    .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000));
            settings.issuer().ifPresent(claims::issuer);
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(settings.hmacSecret().get().getBytes(StandardCharsets.UTF_8)));
            String token = jwt.serialize();
            for (int i = 0; i < times; i++) {
                verifyClient(token);
            }
            return times;
        } catch (JOSEException | MessageRejectedException e) {
            LOG.warning("The token path's warm-up failed: " + e.getMessage());
            return 0;
        }
    }

    /** Why a token was refused, in the protocol's words rather than the library's. */
    private static String reason(Exception refusal) {
        String text = String.valueOf(refusal.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("expired")) {
            return "the token has expired";
        }
        if (text.contains("signature") || text.contains("key")) {
            return "the token's signature is not valid, or it is signed with an algorithm or key this server does not accept";
        }
        if (text.contains("iss")) {
            return "the token's issuer is not the one this server accepts";
        }
        if (text.contains("claim")) {
            return "the token lacks a required claim (sub, exp) or has an invalid one";
        }
        return "the token is not valid";
    }

    /** Whether the bearer credential is one of the server API's keys, or a valid token with the server role. */
    public boolean isServer(String bearer) {
        if (bearer == null) {
            return false;
        }
        if (settings.apiKeys().stream().anyMatch(key -> Secrets.equal(key, bearer))) {
            return true;
        }
        try {
            return verify(bearer).server();
        } catch (MessageRejectedException e) {
            return false;
        }
    }

    /** Whether the bearer credential is the operations token. */
    public boolean isAdmin(String bearer) {
        return bearer != null && settings.adminToken().map(token -> Secrets.equal(token, bearer)).orElse(false);
    }

    /**
     * A JWKS document, or PEM public keys ({@code BEGIN PUBLIC KEY}, RSA or EC), decoded with the JDK: Nimbus's
     * own PEM parser needs BouncyCastle, which Payara does not ship.
     */
    private static JWKSet readKeys(java.nio.file.Path path) {
        try {
            String text = Files.readString(path);
            if (text.strip().startsWith("{")) {
                return JWKSet.parse(text);
            }
            List<JWK> keys = new ArrayList<>();
            Matcher block = PEM_PUBLIC_KEY.matcher(text);
            while (block.find()) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(1));
                keys.add(publicKey(der));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no JWKS and no PEM public key");
            }
            return new JWKSet(keys);
        } catch (IOException | ParseException | GeneralSecurityException e) {
            throw new IllegalArgumentException("wscluster.auth.public-keys: cannot read keys from " + path + ": " + e.getMessage(), e);
        }
    }

    private static JWK publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (InvalidKeySpecException notRsa) {
            ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
            return new ECKey.Builder(Curve.forECParameterSpec(key.getParams()), key).build();
        }
    }

    private static MessageRejectedException unauthorized(String why) {
        return new MessageRejectedException(ErrorCode.UNAUTHORIZED, why);
    }

    /** Tries each key selector: HS256 tokens find the secret, RS256 and ES256 ones the public keys. */
    private record AnyOf(List<JWSKeySelector<SecurityContext>> selectors) implements JWSKeySelector<SecurityContext> {
        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws com.nimbusds.jose.KeySourceException {
            List<Key> keys = new ArrayList<>();
            for (JWSKeySelector<SecurityContext> selector : selectors) {
                keys.addAll(selector.selectJWSKeys(header, context));
            }
            return keys;
        }
    }
}
