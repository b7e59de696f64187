package io.wscluster.loadtest.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Opens WebSocket connections on a few event-loop threads (Netty NIO), from a rotating list of local
 * source addresses (one address has about 28,000 ephemeral ports), with TLS for {@code wss://} targets.
 */
public final class Connector implements AutoCloseable {

    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final List<URI> targets;
    private final List<String> sourceAddresses;
    private final SslContext ssl;

    public Connector(List<URI> targets, List<String> sourceAddresses, File trustedCertificate, int threads) {
        this.group = new NioEventLoopGroup(threads);
        this.targets = targets;
        this.sourceAddresses = sourceAddresses;
        try {
            this.ssl = targets.stream().anyMatch(t -> "wss".equals(t.getScheme()))
                    ? (trustedCertificate == null ? SslContextBuilder.forClient() : SslContextBuilder.forClient().trustManager(trustedCertificate)).build()
                    : null;
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public int targetCount() {
        return targets.size();
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Connects connection number {@code index} as {@code user} to target {@code target}; {@code handler} follows the handshake. */
    public ChannelFuture connect(int index, int target, String user, ChannelHandler handler) {
        URI base = targets.get(target);
        URI uri = URI.create(base + (base.getQuery() == null ? "?" : "&") + "user=" + user);
        int port = base.getPort() > 0 ? base.getPort() : ("wss".equals(base.getScheme()) ? 443 : 80);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .handleCloseFrames(false) // the handler reads the close code itself
                .dropPongFrames(true)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(10_000)
                .build();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast(ssl.newHandler(channel.alloc(), base.getHost(), port));
                        }
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME), handler);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(base.getHost(), port);
        if (sourceAddresses.isEmpty()) {
            return bootstrap.connect(remote);
        }
        return bootstrap.connect(remote, new InetSocketAddress(sourceAddresses.get(index % sourceAddresses.size()), 0));
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
