package io.wscluster.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.time.Duration;
import java.util.Date;
import java.util.List;

/** Signs tokens as an application's backend would: HS256 with the test secret, ES256 with the test key. */
public final class Tokens {

    private Tokens() {
    }

    /** An HS256 token for {@code user}, expiring after {@code ttl}, granting {@code channels}, with {@code roles}. */
    public static String hs256(String user, Duration ttl, List<String> channels, List<String> roles) {
        try {
            return sign(new MACSigner(Node.HMAC_SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, user, ttl, channels, roles);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HS256 token signed with {@code secret}, for {@code user} (none when null), expiring at {@code expiresAtMillis}. */
    public static String hs256(String secret, String user, long expiresAtMillis) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().expirationTime(new Date(expiresAtMillis));
            if (user != null) {
                claims.subject(user);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HS256 token with exactly these claims (a JSON object), signed with the test secret: malformed claims included. */
    public static String hs256Claims(String claimsJson) {
        try {
            // A JWSObject keeps the payload as written; a JWTClaimsSet would turn a numeric sub into a string.
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new JWSHeader(JWSAlgorithm.HS256),
                    new com.nimbusds.jose.Payload(claimsJson));
            jws.sign(new MACSigner(Node.HMAC_SECRET.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(String user, Duration ttl) {
        return hs256(user, ttl, List.of(), List.of());
    }

    /** An ES256 token signed with the test key (arquillian-tests/src/test/resources/keys). */
    public static String es256(String user, Duration ttl) {
        try {
            Path keys = Path.of(System.getProperty("it.keys", "src/test/resources/keys"));
            String pem = Files.readString(keys.resolve("it-ec-private.pem")).replaceAll("-----[A-Z ]+-----|\\s", "");
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            return sign(new ECDSASigner(key), JWSAlgorithm.ES256, user, ttl, List.of(), List.of());
        } catch (IOException | JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String user, Duration ttl, List<String> channels,
                               List<String> roles) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user)
                .expirationTime(new Date(System.currentTimeMillis() + ttl.toMillis()));
        if (!channels.isEmpty()) {
            claims.claim("channels", channels);
        }
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
